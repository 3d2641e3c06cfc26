/// Personal data a citizen may type into a comment, masked as the comment is received, so that
/// the database, the logs and every output only ever hold the masked text: e-mail addresses,
/// phone numbers (Vietnamese, written `0912 345 678`, `0912.345.678`, `+84 912 345 678`, or
/// international with `+`) and 12-digit citizen identity numbers (CCCD). Each becomes
/// `PersonalData.mask`.
///
/// What is masked is decided on runs of characters, not by a regular expression over the whole
/// text, so that the work is linear in the comment's length whatever it holds.
public enum PersonalData {
    /// What stands in the place of each masked run.
    public static let mask = "[***]"

    /// `text` with every e-mail address, phone number and citizen identity number masked.
    public static func masked(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var index = 0
        while index < characters.count {
            if let end = emailEnd(characters, from: index) ?? numberEnd(characters, from: index) {
                output += mask
                index = end
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }

    /// Whether `text` holds something `masked` would mask.
    public static func holdsPersonalData(_ text: String) -> Bool {
        masked(text) != text
    }

    // MARK: E-mail addresses

    private static func isLocal(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "._%+-".contains(c))
    }

    private static func isDomain(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == ".")
    }

    /// The end of an e-mail address that starts at `start`, if one does.
    private static func emailEnd(_ c: [Character], from start: Int) -> Int? {
        guard isLocal(c[start]), start == 0 || !isLocal(c[start - 1]) else { return nil }
        var at = start
        while at < c.count, isLocal(c[at]) { at += 1 }
        guard at < c.count, c[at] == "@", at > start else { return nil }
        var end = at + 1
        while end < c.count, isDomain(c[end]) { end += 1 }
        // A sentence's full stop after the address is not part of it.
        while end > at + 1, c[end - 1] == "." || c[end - 1] == "-" { end -= 1 }
        let domain = String(c[(at + 1)..<end])
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
            let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter)
        else { return nil }
        return end
    }

    // MARK: Phone and identity numbers

    /// The end of a run of digits (with the separators people write in numbers) that starts at
    /// `start` and is a phone number or a citizen identity number, if one does.
    private static func numberEnd(_ c: [Character], from start: Int) -> Int? {
        let first = c[start]
        guard first == "+" || first == "(" || first.isASCIIDigit else { return nil }
        // Not in the middle of a word or of a longer number.
        if start > 0, c[start - 1].isASCIIDigit || c[start - 1].isLetter { return nil }
        var at = start
        // An international prefix: "+84", "(+84)", "(84)".
        if at < c.count, c[at] == "(" { at += 1 }
        let international = at < c.count && c[at] == "+" || first == "("
        if at < c.count, c[at] == "+" { at += 1 }
        var digits = ""
        var end = start
        while at < c.count {
            let char = c[at]
            if char.isASCIIDigit {
                digits.append(char)
                at += 1
                end = at
            } else if " .-".contains(char), at + 1 < c.count, c[at + 1].isASCIIDigit {
                at += 1
            } else if char == ")", first == "(", !digits.isEmpty, at + 1 < c.count,
                c[at + 1].isASCIIDigit || c[at + 1] == " " && at + 2 < c.count && c[at + 2].isASCIIDigit
            {
                at += c[at + 1] == " " ? 2 : 1
            } else {
                break
            }
            if digits.count > 15 { return nil }
        }
        if end < c.count, c[end].isLetter { return nil }
        switch digits.count {
        case 12 where !international:
            // A citizen identity number: 12 digits, or a phone number written +84 with 11.
            return end
        case 10 where digits.hasPrefix("0"), 11 where digits.hasPrefix("0"):
            return end
        case 9...15 where international:
            return end
        case 11 where digits.hasPrefix("84"), 12 where digits.hasPrefix("84"):
            return end
        default:
            return nil
        }
    }
}
