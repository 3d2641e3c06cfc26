/// Comparing secrets (tokens, codes, keyed hashes) in time independent of where they differ, so
/// that the time an answer takes does not tell how much of a guess was right.
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
