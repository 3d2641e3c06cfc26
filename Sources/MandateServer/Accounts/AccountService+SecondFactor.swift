import Foundation
import MandateCore
import MandateStore

/// The second factor (`TOTP`, `SecondFactor`, `RecoveryCodes`): setting it up, and signing in
/// with it.
extension AccountService {
    /// How long a right password waits for its code on the sign-in page.
    static let challengeLifetime: TimeInterval = 5 * 60

    /// Whether a sign-in of `user` with the password alone may only set up a second factor.
    func mustEnrol(_ user: User) -> Bool {
        // The demo's accounts are exempt while the demo runs.
        let exempt = demo && DemoAccounts.accounts.contains { $0.email == user.email }
        return SecondFactor.mustEnrol(role: user.role, enrolled: user.secondFactor, exempt: exempt)
    }

    /// Proof that the password was right, for the code's step of a sign-in: the account, an
    /// expiry, and a keyed hash over both and the password's hash (a password changed meanwhile
    /// spends it). It holds no secret and no e-mail.
    func challenge(for credentials: UserCredentials, now: Date) async throws -> String {
        let expiry = Int(now.addingTimeInterval(Self.challengeLifetime).timeIntervalSince1970)
        let id = credentials.user.id
        return "\(id).\(expiry)."
            + Secrets.keyedHash(Self.challengeText(id, expiry, credentials.passwordHash), key: try await throttleKey())
    }

    private static func challengeText(_ id: String, _ expiry: Int, _ passwordHash: String) -> String {
        "second-factor\n\(id)\n\(expiry)\n\(passwordHash)"
    }

    /// The second step of a sign-in whose password was right (`SignInOutcome.codeNeeded`): the
    /// code of the authenticator app, or a recovery code. Throws 401 for a spent or forged
    /// challenge or a wrong code.
    public func completeSignIn(challenge: String, code: String, client: String) async throws -> SignIn {
        let parts = challenge.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let expired = AppError(
            .unauthorized, "sign-in-expired", "Sign-in expired",
            detail: "the sign-in took too long or is no longer valid; give the e-mail and password again")
        guard parts.count == 3, let expiry = Int(parts[1]), let user = try await accounts.user(id: parts[0]),
            let credentials = try await accounts.credentials(email: user.email), credentials.user.active,
            let secret = credentials.totpSecret
        else { throw expired }
        let expected = Secrets.keyedHash(
            Self.challengeText(user.id, expiry, credentials.passwordHash), key: try await throttleKey())
        guard ConstantTime.equal(expected, parts[2]), Double(expiry) > clock.date().timeIntervalSince1970
        else { throw expired }
        try await checkSecondFactor(
            code, of: credentials.user, secret: secret, lastStep: credentials.totpLastStep, client: client)
        return try await startSession(for: credentials.user, now: clock.date())
    }

    /// Returns when `code` is the account's current authenticator code, not used before, or one
    /// of its unused recovery codes (which is then spent); throws 401 otherwise. Wrong codes are
    /// throttled like wrong passwords, per account and per client.
    func checkSecondFactor(
        _ code: String, of user: User, secret: String, lastStep: Int64?, client: String
    )
        async throws
    {
        let key = try await secondFactorKey(user)
        let clientKey = try await throttleKeys(email: "", client: client).client
        let counted = try await throttle(
            [(key, SignInThrottle.accountFromClient), (clientKey, SignInThrottle.client)], now: clock.date())
        var accepted = false
        if let bytes = Base32.decode(secret),
            let step = TOTP(secret: bytes).acceptedStep(code, now: clock.date(), after: lastStep)
        {
            accepted = try await accounts.useSecondFactorStep(userId: user.id, step: step)
        } else if let recovery = RecoveryCodes.normalised(code) {
            accepted = try await accounts.useRecoveryCode(
                userId: user.id, codeHash: Secrets.hash(recovery), at: clock.now())
        }
        guard accepted else {
            try await accounts.recordSignInFailure(keys: [key, clientKey], at: clock.date())
            throw AppError(
                .unauthorized, "invalid-second-factor", "Wrong code",
                detail: "the code is wrong, has expired or was used already; give the current code of your "
                    + "authenticator app, or an unused recovery code")
        }
        if counted[key] != nil { try await accounts.forgetSignInFailures(key: key) }
    }

    private func secondFactorKey(_ user: User) async throws -> String {
        "second-factor:" + Secrets.keyedHash(user.id, key: try await throttleKey())
    }

    /// A new secret offered to `user`, after the password is given again: the app takes it from
    /// the address (or the secret typed in), and it is in use once a code from it confirms it.
    public struct Offer: Sendable, Codable {
        /// The secret in base 32, as an app asks for it when typed in.
        public let secret: String
        /// The `otpauth://` address.
        public let uri: String

        init(_ totp: TOTP, for user: User) {
            secret = Base32.encode(totp.secret, padded: false)
            uri = totp.uri(account: user.email, issuer: "Mandate")
        }
    }

    public func offerSecondFactor(to user: User, password: String) async throws -> Offer {
        try await confirm(password, of: user)
        let offer = Offer(TOTP.generate(), for: user)
        try await accounts.offerSecondFactor(userId: user.id, secret: offer.secret)
        return offer
    }

    /// The secret offered to `user` and not yet confirmed, if any (shown again after a wrong code).
    func pendingOffer(for user: User) async throws -> Offer? {
        guard let pending = try await accounts.secondFactor(userId: user.id)?.pending,
            let bytes = Base32.decode(pending)
        else { return nil }
        return Offer(TOTP(secret: bytes), for: user)
    }

    /// Sets up the secret offered to `user` once `code` shows the app has it; returns a new set
    /// of recovery codes, shown this once. Throws 409 when nothing was offered, 422 for a code
    /// that does not match.
    public func confirmSecondFactor(of user: User, code: String) async throws -> [String] {
        guard let offered = try await accounts.secondFactor(userId: user.id)?.pending,
            let bytes = Base32.decode(offered)
        else {
            throw AppError(
                .conflict, "no-second-factor-offered", "Nothing to confirm",
                detail: "ask for a new secret first (POST /api/v1/session/second-factor)")
        }
        let key = try await secondFactorKey(user)
        let counted = try await throttle([(key, SignInThrottle.accountFromClient)], now: clock.date())
        guard let step = TOTP(secret: bytes).acceptedStep(code, now: clock.date(), after: nil) else {
            try await accounts.recordSignInFailure(keys: [key], at: clock.date())
            throw ValidationFailure(
                field: "code", reason: "the code does not match the new secret; check the phone's time and try again")
        }
        if counted[key] != nil { try await accounts.forgetSignInFailures(key: key) }
        let codes = RecoveryCodes.generate()
        let hashes = codes.compactMap { RecoveryCodes.normalised($0).map(Secrets.hash) }
        guard
            try await accounts.enableSecondFactor(
                userId: user.id, secret: offered, step: step, recoveryCodeHashes: hashes)
        else {
            throw AppError(
                .conflict, "second-factor-offered-again", "Offered again",
                detail: "a newer secret was offered meanwhile; confirm with a code from it")
        }
        return codes
    }
}
