/// How many ratings are taken in fixed windows of time: from one client (keyed by a hash of its
/// address under a salt that changes every day, never the address), for one unit, and overall.
/// A rating beyond a limit is refused with the seconds until its window ends (`Retry-After`).
public struct FeedbackLimits: Sendable, Hashable {
    public struct Window: Sendable, Hashable {
        /// Ratings taken in a window.
        public var limit: Int
        /// The window's length in seconds.
        public var seconds: Int

        public init(limit: Int, seconds: Int) {
            self.limit = limit
            self.seconds = seconds
        }
    }

    public var perClient: Window
    public var perUnit: Window
    public var overall: Window

    public init(perClient: Window, perUnit: Window, overall: Window) {
        self.perClient = perClient
        self.perUnit = perUnit
        self.overall = overall
    }

    /// Ten ratings from a client in ten minutes; 600 for a unit in a minute; 5,000 a second in all.
    public static let standard = FeedbackLimits(
        perClient: Window(limit: 10, seconds: 600), perUnit: Window(limit: 600, seconds: 60),
        overall: Window(limit: 5_000, seconds: 1))

    /// A window's count as kept: when it began (in whole seconds) and how many it took.
    public struct Count: Sendable, Hashable {
        public var start: Int
        public var taken: Int

        public init(start: Int, taken: Int) {
            self.start = start
            self.taken = taken
        }
    }

    /// The count after one more rating at `now`, or the seconds to wait when `window` has taken
    /// its limit. A window that has ended starts again at `now`.
    public static func take(_ count: Count?, _ window: Window, now: Int) -> Result<Count, Wait> {
        guard let count, now < count.start + window.seconds else { return .success(Count(start: now, taken: 1)) }
        guard count.taken < window.limit else { return .failure(Wait(seconds: count.start + window.seconds - now)) }
        return .success(Count(start: count.start, taken: count.taken + 1))
    }

    public struct Wait: Error, Sendable, Hashable {
        public var seconds: Int

        public init(seconds: Int) {
            self.seconds = seconds
        }
    }
}
