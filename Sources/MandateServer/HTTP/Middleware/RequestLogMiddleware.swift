import Hummingbird
import Logging

/// Logs each request as Hummingbird's `LogRequestsMiddleware` does (its method and target, under
/// the same keys), with a secret a path carries left out (`PasswordResetPages.loggedPath`).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let level: Logger.Level

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        context.logger.log(
            level: level, "Request",
            metadata: [
                "hb.request.path": .string(PasswordResetPages.loggedPath(request.uri.description)),
                "hb.request.method": .string(request.method.rawValue),
            ])
        return try await next(request, context)
    }
}
