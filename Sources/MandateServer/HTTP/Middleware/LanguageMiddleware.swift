import Hummingbird
import MandateCore

/// Chooses the page language: `?lang=` (remembered in a cookie), else the cookie, else Vietnamese.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var context = context
        let asked = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
        context.language = asked ?? request.cookies["lang"].flatMap { Language(rawValue: $0.value) } ?? .vi
        var response = try await next(request, context)
        if let asked {
            response.setCookie(
                Cookie(
                    name: "lang", value: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: request.isSecure,
                    httpOnly: true, sameSite: .lax))
        }
        return response
    }
}
