import Foundation

/// What the product takes as a web link, wherever one is typed: a catalogue's legal basis and
/// distributions, a report's evidence, a value's evidence. An `http` or `https` address (the
/// scheme in any case) with a host, at most 2,000 characters, with no spaces, quotes or angle
/// brackets.
public enum WebLink {
    public static let maximumLength = 2_000

    public static func isValid(_ text: String) -> Bool {
        guard text.count <= maximumLength,
            !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }),
            let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}
