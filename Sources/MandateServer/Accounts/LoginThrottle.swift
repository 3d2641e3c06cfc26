import Foundation

/// Slows password guessing: after `limit` failed sign-ins for one e-mail address within
/// `window`, further attempts for it are refused until the oldest failure leaves the window.
/// Kept per instance; several instances each apply the limit.
actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 10, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until another attempt is allowed, or nil when one is allowed now.
    func retryAfter(_ email: String, now: Date = Date()) -> Int? {
        let recent = prune(email, now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    func recordFailure(_ email: String, now: Date = Date()) {
        var recent = prune(email, now: now)
        recent.append(now)
        failures[email] = recent
        // Bound memory under a spray of random addresses.
        if failures.count > 100_000 { failures.removeAll() }
    }

    func recordSuccess(_ email: String) {
        failures[email] = nil
    }

    private func prune(_ email: String, now: Date) -> [Date] {
        let recent = (failures[email] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[email] = recent.isEmpty ? nil : recent
        return recent
    }
}
