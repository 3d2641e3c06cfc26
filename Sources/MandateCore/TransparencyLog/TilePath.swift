/// Encoding of tile indexes in tlog-tiles paths: three-digit groups, all but the last prefixed with `x`.
enum TilePath {
    /// `<N>[.p/<W>]`, e.g. index 1234067 of width 8 as `x001/x234/067.p/8`.
    static func encode(index: UInt64, width: Int) -> String {
        var groups = [three(index % 1000)]
        var rest = index / 1000
        while rest > 0 {
            groups.append("x" + three(rest % 1000))
            rest /= 1000
        }
        let encoded = groups.reversed().joined(separator: "/")
        return width < Tile.fullWidth ? "\(encoded).p/\(width)" : encoded
    }

    /// Decodes the path components after the level (or `entries`) into an index and width.
    static func decode(_ components: [Substring], path: String) throws(TileError) -> (UInt64, Int) {
        var components = components
        var width = Tile.fullWidth
        if let last = components.last, components.count >= 2, components[components.count - 2].hasSuffix(".p") {
            guard let parsed = decimal(last), (1..<UInt64(Tile.fullWidth)).contains(parsed) else {
                throw .invalidPath(path)
            }
            width = Int(parsed)
            components.removeLast()
            let group = components.removeLast()
            components.append(group.dropLast(2))
        }
        guard let lastGroup = components.popLast(), let lastValue = digits(lastGroup) else {
            throw .invalidPath(path)
        }
        var index: UInt64 = 0
        for (position, group) in components.enumerated() {
            // A leading x000 group would be a second spelling of the same index.
            guard group.first == "x", let value = digits(group.dropFirst()), position > 0 || value > 0 else {
                throw .invalidPath(path)
            }
            let (scaled, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow, scaled <= UInt64.max - value else { throw .invalidPath(path) }
            index = scaled + value
        }
        let (scaled, overflow) = index.multipliedReportingOverflow(by: 1000)
        guard !overflow, scaled <= UInt64.max - lastValue else { throw .invalidPath(path) }
        return (scaled + lastValue, width)
    }

    /// A canonical non-negative decimal: digits only, no leading zeros except `0` itself.
    static func decimal(_ text: Substring) -> UInt64? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0") || text.utf8.count == 1 else { return nil }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return UInt64(text)
    }

    private static func digits(_ text: Substring) -> UInt64? {
        guard text.utf8.count == 3, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            return nil
        }
        return UInt64(text)
    }

    private static func three(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: 3 - text.count) + text
    }
}
