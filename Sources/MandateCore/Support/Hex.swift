/// Bytes as lowercase hexadecimal digits: digests in facts, keys, ETags and stored secrets. One
/// table lookup per digit; a formatter per byte (`String(format: "%02x")`) cost half of the time an
/// import spent building its log entries.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
