import Foundation

/// A one-time link by which an account's owner sets a new password: an administrator of the
/// account's unit makes it and hands it over (the product sends no e-mail); it works once, for a
/// limited time, and only while the account is active. Setting the password ends every session of
/// the account and leaves its second factor as it is (ASVS 5, 6.4.3: a reset never bypasses it).
/// Only a digest of the link's secret is stored.
public enum PasswordReset {
    /// A link works for this long after it is made: long enough to hand over the next working day.
    public static let lifetime: TimeInterval = 48 * 3600

    /// Why a link no longer sets a password.
    public enum Refusal: String, Error, Sendable, Equatable {
        /// No link has this secret, or a newer link for the account replaced it.
        case unknown
        case used
        case expired
        /// The account was disabled after the link was made.
        case accountDisabled
    }

    /// When a link made at `issuedAt` stops working.
    public static func expiry(issuedAt: Date) -> Date {
        issuedAt.addingTimeInterval(lifetime)
    }

    /// Whether a link sets a password at `now`: nil when it does, else why not.
    public static func refusal(expiresAt: Date, usedAt: Date?, accountActive: Bool, now: Date) -> Refusal? {
        if usedAt != nil { return .used }
        if now >= expiresAt { return .expired }
        if !accountActive { return .accountDisabled }
        return nil
    }
}
