import Crypto
import Foundation
import MandateCore
import Synchronization

/// The counts `FeedbackLimits` decides on, kept in memory: per client (a hash of its address
/// under a random salt drawn again every Hà Nội day and never written anywhere, so that no
/// address, nor anything that finds one, is kept), per unit, and overall.
final class FeedbackThrottle: Sendable {
    let limits: FeedbackLimits
    private let state = Mutex(State())
    /// The most counts kept; when full, the table starts again (a flood of new clients cannot
    /// grow it without bound).
    static let capacity = 100_000

    private struct State {
        var day = ""
        var salt: [UInt8] = []
        var counts: [String: FeedbackLimits.Count] = [:]
    }

    init(limits: FeedbackLimits) {
        self.limits = limits
    }

    /// Counts one rating from `client` for `unit` at `now`; throws 429 with `Retry-After` when a
    /// limit is reached (and counts nothing).
    func take(client: String, unit: String, now: Date) throws {
        let second = Int(now.timeIntervalSince1970)
        let day = HanoiTime.day(of: Timestamp.string(now))?.description ?? ""
        let wait: Int? = state.withLock { state in
            if state.day != day {
                state.day = day
                state.salt = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
                state.counts = [:]
            }
            if state.counts.count >= Self.capacity { state.counts = [:] }
            let key = "client:" + Hex.lowercase(SHA256.hash(data: state.salt + Array(client.utf8)).prefix(16))
            let checks = [(key, limits.perClient), ("unit:" + unit, limits.perUnit), ("all", limits.overall)]
            var taken: [(String, FeedbackLimits.Count)] = []
            for (key, window) in checks {
                switch FeedbackLimits.take(state.counts[key], window, now: second) {
                case .success(let count): taken.append((key, count))
                case .failure(let wait): return wait.seconds
                }
            }
            for (key, count) in taken { state.counts[key] = count }
            return nil
        }
        if let wait {
            var error = AppError(
                .tooManyRequests, "too-many-ratings", "Too many ratings",
                detail: "too many ratings from here or for this unit; try again in \(wait) second(s)")
            error.retryAfter = max(wait, 1)
            throw error
        }
    }
}
