import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps make
/// them: HMAC-SHA-1, 30-second steps, 6 digits.
public struct TOTP: Sendable, Equatable {
    /// The shared secret.
    public let secret: [UInt8]

    /// A step's length in seconds.
    public static let period: TimeInterval = 30
    public static let digits = 6
    /// Steps accepted either side of the current one, for a phone's clock a little off and the
    /// time it takes to type.
    public static let skew: Int64 = 1
    /// A new secret's length: 160 bits, as RFC 4226 recommends.
    public static let secretLength = 20

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// A new random secret.
    public static func generate() -> TOTP {
        var generator = SystemRandomNumberGenerator()
        return TOTP(secret: (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The step `date` falls in (RFC 6238's T, from the Unix epoch).
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for `step` (RFC 4226's HOTP with the step as its counter): dynamic truncation of
    /// the HMAC, modulo 10^digits, with leading zeros.
    public func code(step: Int64, digits: Int = TOTP.digits) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// The step whose code `typed` is, among the steps within `skew` of `now`'s and later than
    /// `lastUsed` (a code is good once: one seen by someone looking over a shoulder is spent).
    /// Spaces in what was typed are ignored; nil if it matches none.
    public func acceptedStep(_ typed: String, now: Date, after lastUsed: Int64?) -> Int64? {
        let typed = typed.filter { !$0.isWhitespace }
        guard typed.count == Self.digits, typed.allSatisfy(\.isASCIIDigit) else { return nil }
        let current = Self.step(at: now)
        for step in (current - Self.skew)...(current + Self.skew) where step > (lastUsed ?? .min) {
            if ConstantTime.equal(code(step: step), typed) { return step }
        }
        return nil
    }

    /// The `otpauth://` address an authenticator app takes (a phone opens it in its app).
    public func uri(account: String, issuer: String) -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let issuerParameter = issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret, padded: false))&issuer=\(issuerParameter)"
            + "&algorithm=SHA1&digits=\(Self.digits)&period=\(Int(Self.period))"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
