/// The rules of probing a database's links (`LinkProbe`): which links are probed, when a link
/// answered, and which addresses are never asked (server-side request forgery: a link typed by a
/// unit must not make the server reach its own network).
public enum LinkChecks {
    /// A link answered when its status is below 400 (a redirect counts: it is not followed).
    public static func answered(status: Int?) -> Bool {
        status.map { (100..<400).contains($0) } ?? false
    }

    /// The links of an entry the probe asks: every access and download URL, unless the entry is
    /// illustrative (its links are made up).
    public static func links(of entry: CatalogueEntry) -> [String] {
        guard !entry.illustrative else { return [] }
        var links: [String] = []
        for distribution in entry.distributions {
            for link in [distribution.accessURL, distribution.downloadURL] where !link.isEmpty && !links.contains(link)
            {
                links.append(link)
            }
        }
        return links
    }

    /// Whether an IPv4 address is on the public internet: not unspecified, loopback, private
    /// (10/8, 172.16/12, 192.168/16), shared (100.64/10), link-local (169.254/16, where cloud
    /// metadata answers), benchmarking, documentation, multicast or reserved.
    public static func isPublic(ipv4 a: [UInt8]) -> Bool {
        guard a.count == 4 else { return false }
        switch (a[0], a[1], a[2]) {
        case (0, _, _), (10, _, _), (127, _, _), (224...255, _, _): return false
        case (100, 64...127, _), (169, 254, _), (172, 16...31, _), (192, 168, _): return false
        case (192, 0, 0), (192, 0, 2), (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        default: return true
        }
    }

    /// Whether an IPv6 address is on the public internet: not unspecified, loopback, unique local
    /// (fc00::/7), link-local (fe80::/10), multicast or documentation; an IPv4-mapped address is
    /// judged as its IPv4 address.
    public static func isPublic(ipv6 a: [UInt8]) -> Bool {
        guard a.count == 16 else { return false }
        if a[0..<10].allSatisfy({ $0 == 0 }), a[10] == 0xFF, a[11] == 0xFF { return isPublic(ipv4: Array(a[12..<16])) }
        if a[0..<15].allSatisfy({ $0 == 0 }) { return false }
        if a[0] & 0xFE == 0xFC || a[0] == 0xFF { return false }
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return false }
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return false }
        return true
    }
}
