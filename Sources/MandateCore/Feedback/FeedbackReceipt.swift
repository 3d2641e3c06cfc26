/// The code a citizen keeps to follow their rating: 12 characters of Crockford's base 32 (no I,
/// L, O or U, so that it reads back without mistakes), written in three groups of four
/// (`K7QF-3M2X-9PAD`): 60 random bits, so that nobody finds a receipt by guessing.
public enum FeedbackReceipt {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new receipt drawn from `generator`.
    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var text = ""
        for index in 0..<12 {
            if index > 0, index % 4 == 0 { text.append("-") }
            text.append(alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))])
        }
        return text
    }

    /// The receipt as typed (lower case, without dashes, with O for 0 or I and L for 1) written
    /// the one way it is kept; nil when it cannot be a receipt.
    public static func normalised(_ typed: String) -> String? {
        var symbols: [Character] = []
        for character in typed.uppercased() where character != "-" && character != " " {
            let read: Character =
                switch character {
                case "O": "0"
                case "I", "L": "1"
                default: character
                }
            guard alphabet.contains(read) else { return nil }
            symbols.append(read)
        }
        guard symbols.count == 12 else { return nil }
        return [symbols[0..<4], symbols[4..<8], symbols[8..<12]].map { String($0) }.joined(separator: "-")
    }
}
