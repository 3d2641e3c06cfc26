import HummingbirdBcrypt
import MandateStore
import NIOPosix

extension PasswordHasher {
    public func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the account does not exist, so that the time taken does not
    /// reveal which e-mail addresses have accounts.
    static let decoy = DemoAccounts.passwordHash
}
