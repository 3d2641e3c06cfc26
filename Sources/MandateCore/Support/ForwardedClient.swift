import Foundation

/// Who a request comes from when a reverse proxy may stand in front of the server: the one rule.
///
/// A connection's peer is believed about itself only. Its `X-Forwarded-For` and
/// `X-Forwarded-Proto` are believed when the peer is one of the proxies the server was told to
/// trust (`mandate serve --trusted-proxy`); from anyone else they are dropped, as if never sent,
/// so that a client cannot pick its own address (and dodge the sign-in throttle) or claim TLS.
public enum ForwardedClient {
    /// Whether `peer`'s forwarding headers are believed.
    public static func believes(peer: String, trusted: Set<String>) -> Bool {
        trusted.contains(peer)
    }

    /// The client's address. Without a trusted peer, the peer's. Behind trusted proxies, the
    /// nearest address of `X-Forwarded-For` (read from the right, over every header line) that is
    /// not a trusted proxy itself; the leftmost when every one is; the peer's when the list is
    /// empty.
    public static func address(peer: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard believes(peer: peer, trusted: trusted) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? hops.first ?? peer
    }
}
