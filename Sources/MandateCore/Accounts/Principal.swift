/// Who asks to act: a signed-in user, a machine client holding one of a user's API tokens (it
/// acts with its holder's role and unit), or an anonymous visitor (a citizen rating a service).
public enum Principal: Sendable, Hashable {
    case user(role: Role, unit: String)
    case token(role: Role, unit: String)
    /// A user signed in with the password alone whose role needs a second factor it has not set
    /// up (`SecondFactor.mustEnrol`): it may do nothing but set one up.
    case enrolling(role: Role, unit: String)
    case anonymous

    /// The role and unit the principal acts with; nil for an anonymous visitor.
    public var membership: (role: Role, unit: String)? {
        switch self {
        case .user(let role, let unit), .token(let role, let unit), .enrolling(let role, let unit): (role, unit)
        case .anonymous: nil
        }
    }
}
