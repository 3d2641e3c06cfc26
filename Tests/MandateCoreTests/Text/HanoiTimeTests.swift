import Foundation
import MandateCore
import Testing

@Suite struct HanoiTimeTests {
    @Test func instantsAreShownInHanoiTime() {
        #expect(HanoiTime.text("2026-12-07T02:15:00Z", .vi) == "09:15 ngày 07/12/2026")
        #expect(HanoiTime.text("2026-12-07T02:15:00.123Z", .en) == "7 Dec 2026, 09:15")
        // 17:00 UTC is midnight of the next day in Hà Nội, across a month and a year.
        #expect(HanoiTime.text("2026-12-31T17:05:59Z", .vi) == "00:05 ngày 01/01/2027")
        #expect(HanoiTime.text("2028-02-28T18:00:00Z", .en) == "29 Feb 2028, 01:00")
        #expect(HanoiTime.text("not a time", .vi) == "not a time")
        #expect(HanoiTime.text("2026-12-07", .vi) == "2026-12-07")
    }

    /// The same as Foundation's calendar in the Asia/Ho_Chi_Minh zone, on random instants since
    /// 1976 (before it, the south kept UTC+8; the product's records begin in 2023).
    @Test func matchesFoundationsTimeZone() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var generator = SystemRandomNumberGenerator()
        let iso = ISO8601DateFormatter()
        for _ in 0..<500 {
            let date = Date(
                timeIntervalSince1970: Double(Int.random(in: 189_302_400...4_102_444_800, using: &generator)))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let expected = String(
                format: "%02d:%02d ngày %02d/%02d/%d", parts.hour!, parts.minute!, parts.day!, parts.month!, parts.year!
            )
            #expect(HanoiTime.text(iso.string(from: date), .vi) == expected)
        }
    }
}
