import SQLKit
import Synchronization

extension SQLRowDecoder.KeyDecodingStrategy {
    /// `convertFromSnakeCase` (the property `firstReportedAt` reads the column `first_reported_at`),
    /// with each property's column worked out once per process instead of once per column of every
    /// row: decoding 50,000 task rows spent two fifths of its time converting the same names.
    public static let snakeCaseColumns: Self = .custom { path in
        SomeCodingKey(stringValue: SnakeCaseColumns.column(for: path.last?.stringValue ?? ""))
    }
}

/// The column of each property name, as SQLKit's `convertFromSnakeCase` names it, remembered.
enum SnakeCaseColumns {
    private static let known = Mutex<[String: String]>([:])

    static func column(for key: String) -> String {
        if let column = known.withLock({ $0[key] }) { return column }
        let column = snakeCase(key)
        known.withLock { $0[key] = column }
        return column
    }

    /// `key` in snake case as SQLKit writes it: a word starts at each capital, a run of capitals
    /// is one word, and each word loses the capital of its first letter only (`parentCode` is
    /// `parent_code`, `userID` is `user_iD`).
    static func snakeCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchIndex = key.index(after: wordStart)
        while let upper = key[searchIndex...].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            wordStart = upper
            guard let lower = key[upper...].firstIndex(where: \.isLowercase) else { break }
            searchIndex = lower
            if lower != key.index(after: upper) {
                let beforeLower = key.index(before: lower)
                words.append(upper..<beforeLower)
                wordStart = beforeLower
            }
        }
        words.append(wordStart..<key.endIndex)
        return words.map { range in
            let word = key[range]
            return (word.first.map { String($0).lowercased() } ?? "") + word.dropFirst()
        }.joined(separator: "_")
    }
}
