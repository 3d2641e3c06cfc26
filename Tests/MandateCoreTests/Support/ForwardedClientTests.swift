import MandateCore
import Testing

struct ForwardedClientTests {
    let proxies: Set<String> = ["10.0.0.2", "10.0.0.3"]

    @Test func aPeerThatIsNoTrustedProxyIsTheClientWhateverItClaims() {
        #expect(!ForwardedClient.believes(peer: "198.51.100.7", trusted: proxies))
        #expect(
            ForwardedClient.address(peer: "198.51.100.7", forwardedFor: ["1.2.3.4"], trusted: proxies) == "198.51.100.7"
        )
        #expect(ForwardedClient.address(peer: "198.51.100.7", forwardedFor: [], trusted: []) == "198.51.100.7")
    }

    @Test(arguments: [
        // The proxy appends the address it saw: the rightmost entry that is no proxy of ours.
        (["203.0.113.9"], "203.0.113.9"),
        (["1.2.3.4, 203.0.113.9"], "203.0.113.9"),  // the leftmost is the client's own claim
        (["203.0.113.9, 10.0.0.3"], "203.0.113.9"),  // through two proxies of ours
        (["1.2.3.4", "203.0.113.9"], "203.0.113.9"),  // over two header lines
        (["10.0.0.3, 10.0.0.2"], "10.0.0.3"),  // only proxies: the leftmost
        ([" , "], "10.0.0.2"),  // nothing in it: the peer
    ])
    func behindTrustedProxiesTheNearestUntrustedHopIsTheClient(forwardedFor: [String], client: String) {
        #expect(ForwardedClient.address(peer: "10.0.0.2", forwardedFor: forwardedFor, trusted: proxies) == client)
    }
}
