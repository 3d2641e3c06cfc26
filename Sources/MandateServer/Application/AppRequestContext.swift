import Hummingbird
import Logging
import MandateCore

/// Who is making a request, and how they proved it.
public struct Identity: Sendable {
    public var user: User
    public var via: Credential
    /// Signed in with the password alone while the role needs a second factor that the account
    /// has not set up (`SecondFactor.mustEnrol`): it may only set one up.
    public var enrolling = false

    public enum Credential: Sendable, Equatable {
        /// A browser session; writes must carry its CSRF token.
        case session(idHash: String, csrfToken: String)
        /// An API token; no CSRF applies, as browsers never send it by themselves.
        case token(id: String)
    }

    public var csrfToken: String? {
        if case .session(_, let token) = via { return token }
        return nil
    }

    /// Who acts, as `Authorizer` decides for it.
    public var principal: Principal {
        switch via {
        case .session:
            enrolling ? .enrolling(role: user.role, unit: user.unitCode) : .user(role: user.role, unit: user.unitCode)
        case .token: .token(role: user.role, unit: user.unitCode)
        }
    }
}

/// The context every request starts with; `identity` is set by the authentication middleware.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The page language, chosen by the localisation middleware.
    public var language: Language = .vi
    /// The address the connection comes from (sign-in throttling counts failures by it).
    public let clientAddress: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }

    // Evidence files come later; ordinary bodies stay small.
    public var maxUploadSize: Int { 1024 * 1024 }
}

/// A context whose user is known: the handlers `APIRoutes.authenticated` registers take this one.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let language: Language

    public var user: User { identity.user }

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw AppError.unauthenticated }
        self.coreContext = context.coreContext
        self.identity = identity
        self.language = context.language
    }
}

/// The context of a read that answers the same to everyone (`APIRoutes.publicRead`): it has no
/// identity, so such a handler cannot make its answer depend on who asks, and the caller's
/// session is never looked up for it.
public struct PublicContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let language: Language

    public init(context: AppRequestContext) {
        self.coreContext = context.coreContext
        self.language = context.language
    }
}
