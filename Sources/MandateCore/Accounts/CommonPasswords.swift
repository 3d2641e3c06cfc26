/// Passwords of 12 characters or more that attackers try first: the long entries of the public
/// lists of the most used passwords, Vietnamese ones among them, and the patterns they follow (a
/// character repeated, a run along the digits or a keyboard row, a word then a run of digits).
/// Shipped with the product: nothing is fetched.
public enum CommonPasswords {
    /// Whether `password` is common, compared in lower case.
    public static func contains(_ password: String) -> Bool {
        let folded = password.lowercased()
        if listed.contains(folded) { return true }
        if Set(folded).count <= 2 { return true }
        if isRun(folded) { return true }
        // A common word or name followed (or preceded) by a run of digits: "password1234".
        let letters = folded.filter(\.isLetter)
        let digits = folded.filter(\.isNumber)
        if letters.count + digits.count == folded.count, !letters.isEmpty, !digits.isEmpty,
            words.contains(letters), isRun(digits) || Set(digits).count == 1
        {
            return true
        }
        return false
    }

    /// Whether `text` is one stretch along a row of `rows`, forwards or backwards, wrapping.
    static func isRun(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count >= 4 else { return false }
        return rows.contains { row in
            let row = Array(row)
            for step in [1, row.count - 1] {
                guard let first = row.firstIndex(of: characters[0]) else { continue }
                var index = first
                var matched = true
                for character in characters.dropFirst() {
                    index = (index + step) % row.count
                    if row[index] != character {
                        matched = false
                        break
                    }
                }
                if matched { return true }
            }
            return false
        }
    }

    static let rows = [
        "1234567890", "qwertyuiopasdfghjklzxcvbnm", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
    ]

    /// Words that lead common passwords.
    static let words: Set<String> = [
        "password", "passw", "pass", "admin", "administrator", "qwerty", "abc", "iloveyou", "welcome", "letmein",
        "monkey", "dragon", "sunshine", "princess", "football", "baseball", "master", "shadow", "superman",
        "matkhau", "anhyeuem", "emyeuanh", "yeuem", "vietnam", "hanoi", "saigon", "mandate", "admin", "user",
        "test", "guest", "root", "login", "changeme", "secret",
    ]

    /// The long entries of the most used passwords.
    static let listed: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456789123", "1234567891011", "111111111111",
        "000000000000", "123123123123", "qwertyuiop12", "qwertyuiop123", "1q2w3e4r5t6y", "1qaz2wsx3edc",
        "qazwsxedcrfv", "zaq12wsxcde3", "passwordpassword", "password1234", "password12345", "password123456",
        "p@ssw0rd1234", "p@ssword1234", "iloveyou1234", "iloveyouiloveyou", "abcdefghijkl", "abc123abc123",
        "abcd1234abcd", "welcome12345", "welcome123456", "letmein12345", "administrator", "administrator1",
        "admin1234567", "admin@123456", "changeme1234", "football1234", "baseball1234", "princess1234",
        "sunshine1234", "superman1234", "trustno1trustno1", "mypassword12", "mypassword123", "thisismypassword",
        "correcthorsebatterystaple", "matkhau12345", "matkhau123456", "matkhaumoi123", "anhyeuem1234",
        "emyeuanh1234", "anhyeuemnhieu", "yeuemmaimai", "vietnam12345", "vietnam123456", "vietnamvodich",
        "hanoi1234567", "saigon123456", "mandate-demo", "mandatedemo1",
    ]
}
