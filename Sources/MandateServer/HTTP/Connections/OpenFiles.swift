#if canImport(Glibc)
    import Glibc

    private let openFilesResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
    import Darwin

    private let openFilesResource = RLIMIT_NOFILE
#endif

/// The process's open-file limit, which bounds the connections it can hold.
public enum OpenFiles {
    /// The soft limit now.
    public static func limit() -> Int {
        var limit = rlimit()
        guard getrlimit(openFilesResource, &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, 1 << 20))
    }

    /// Raises the soft limit to the hard one (as a server should: the soft default of 1,024 is
    /// for interactive programs) and returns the limit then in force.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        if getrlimit(openFilesResource, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(openFilesResource, &limit)
        }
        return Self.limit()
    }
}
