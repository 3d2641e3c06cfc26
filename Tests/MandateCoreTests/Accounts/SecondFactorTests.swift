import Foundation
import Testing

@testable import MandateCore

/// The second factor: TOTP against the RFCs' own vectors, the window and replay rules, who must
/// set one up, and recovery codes.
@Suite struct SecondFactorTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    /// RFC 4226, Appendix D: HOTP values for counts 0 to 9.
    @Test func hotpMatchesRFC4226() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ]
        let totp = TOTP(secret: Self.rfcSecret)
        #expect((0..<10).map { totp.code(step: Int64($0)) } == expected)
    }

    /// RFC 6238, Appendix B: the SHA-1 rows (8 digits).
    @Test func totpMatchesRFC6238() {
        let rows: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        let totp = TOTP(secret: Self.rfcSecret)
        for (time, code) in rows {
            #expect(totp.code(step: TOTP.step(at: Date(timeIntervalSince1970: time)), digits: 8) == code, "\(time)")
        }
    }

    /// RFC 4648, section 10.
    @Test func base32MatchesRFC4648() {
        let vectors = [
            ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
        ]
        for (text, encoded) in vectors {
            #expect(Base32.encode(Array(text.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(text.utf8))
            #expect(Base32.decode(encoded.lowercased().replacingOccurrences(of: "=", with: "")) == Array(text.utf8))
        }
        #expect(Base32.decode("MZXW1") == nil)  // 1 is not in the alphabet
        #expect(Base32.decode("MZXW6YQ!") == nil)
        #expect(Base32.decode("MY") == [0x66])
        #expect(Base32.decode("MZ") == nil)  // trailing bits not zero
        for _ in 0..<50 {
            let bytes = (0..<Int.random(in: 0..<40)).map { _ in UInt8.random(in: .min ... .max) }
            #expect(Base32.decode(Base32.encode(bytes, padded: false)) == bytes)
        }
    }

    @Test func aCodeIsGoodWithinOneStepEitherSideAndOnce() {
        let totp = TOTP.generate()
        #expect(totp.secret.count == 20)
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let step = TOTP.step(at: now)
        for offset in Int64(-1)...1 {
            #expect(totp.acceptedStep(totp.code(step: step + offset), now: now, after: nil) == step + offset)
        }
        for offset: Int64 in [-3, -2, 2, 3] {
            #expect(totp.acceptedStep(totp.code(step: step + offset), now: now, after: nil) == nil)
        }
        // Used once, a code (or an older one) is spent; a later step's is not.
        let current = totp.code(step: step)
        #expect(totp.acceptedStep(current, now: now, after: step) == nil)
        #expect(totp.acceptedStep(totp.code(step: step - 1), now: now, after: step) == nil)
        #expect(totp.acceptedStep(totp.code(step: step + 1), now: now, after: step) == step + 1)
        // Typed with a space, as apps show it; anything but six digits is no code.
        #expect(totp.acceptedStep(String(current.prefix(3)) + " " + current.suffix(3), now: now, after: nil) == step)
        #expect(totp.acceptedStep(String(current.dropLast()), now: now, after: nil) == nil)
        #expect(totp.acceptedStep("١٢٣٤٥٦", now: now, after: nil) == nil)
    }

    @Test func theAddressCarriesTheSecretAndTheParameters() throws {
        let totp = TOTP(secret: Self.rfcSecret)
        let uri = try #require(URLComponents(string: totp.uri(account: "an@example.vn", issuer: "Mandate")))
        #expect(uri.scheme == "otpauth" && uri.host == "totp")
        #expect(uri.path == "/Mandate:an@example.vn")
        let items = Dictionary(uniqueKeysWithValues: (uri.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(Base32.decode(items["secret"] ?? "") == Self.rfcSecret)
        #expect(items["issuer"] == "Mandate" && items["digits"] == "6" && items["period"] == "30")
        #expect(items["algorithm"] == "SHA1")
    }

    @Test func onlyCommitteeRolesWithoutAFactorMustSetOneUp() {
        for role in Role.allCases {
            let needs = role == .admin || role == .committeeAnalyst
            #expect(SecondFactor.required(for: role) == needs)
            #expect(SecondFactor.mustEnrol(role: role, enrolled: false, exempt: false) == needs)
            #expect(!SecondFactor.mustEnrol(role: role, enrolled: true, exempt: false))
            #expect(!SecondFactor.mustEnrol(role: role, enrolled: false, exempt: true))
        }
    }

    /// A user who must set up a second factor may do nothing else, not even what its role may,
    /// but may still contribute what anyone may.
    @Test func anEnrollingUserIsRefusedEverythingButPublicContributions() {
        for role in [Role.admin, .committeeAnalyst] {
            for action in Action.allCases {
                let target = UnitPath(["BCD"])
                let decision = Authorizer.decide(.enrolling(role: role, unit: "BCD"), target: target, action: action)
                if action.scope == .publicContribution {
                    #expect(decision == .allow)
                } else {
                    guard case .deny(let reason) = decision else {
                        Issue.record("\(role) enrolling was allowed to \(action)")
                        continue
                    }
                    #expect(reason.contains("second factor"))
                }
                #expect(
                    Authorizer.maySomewhere(.enrolling(role: role, unit: "BCD"), action) == (action == .rateService))
            }
        }
    }

    @Test func recoveryCodesAreTenDistinctAndReadForgivingly() throws {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10 && Set(codes).count == 10)
        let pattern = /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/
        #expect(codes.allSatisfy { $0.wholeMatch(of: pattern) != nil })
        let code = try #require(codes.first)
        let bare = code.replacingOccurrences(of: "-", with: "")
        #expect(RecoveryCodes.normalised(code) == bare)
        #expect(RecoveryCodes.normalised(code.lowercased()) == bare)
        #expect(RecoveryCodes.normalised(" " + bare.prefix(12) + " " + bare.suffix(12)) == bare)
        #expect(RecoveryCodes.normalised(String(bare.dropLast())) == nil)
        #expect(RecoveryCodes.normalised(String(bare.dropLast(2)) + "18") == nil)  // 1 and 8 are not base 32
        #expect(RecoveryCodes.normalised("123456") == nil)
    }
}
