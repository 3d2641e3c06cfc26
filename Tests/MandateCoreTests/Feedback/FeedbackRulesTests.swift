import Foundation
import MandateCore
import Testing

/// The rules of citizens' ratings: personal data masked as a comment is received, a draft
/// checked field by field in both languages, receipts that read back, and the limits' windows.
@Suite struct FeedbackRulesTests {
    @Test(arguments: [
        ("Liên hệ tôi qua nguyen.van.a@gmail.com nhé.", "Liên hệ tôi qua [***] nhé."),
        ("Gọi 0912 345 678 hoặc 0912.345.678", "Gọi [***] hoặc [***]"),
        ("số +84 912 345 678, hoặc (+84) 24 3825 1234", "số [***], hoặc [***]"),
        ("CCCD 001203004567 của tôi", "CCCD [***] của tôi"),
        ("mã 0912345678x không phải", "mã 0912345678x không phải"),
        (
            "Năm 2025 có 1.234.567 hồ sơ, đạt 83,94 % ngày 07/12/2026",
            "Năm 2025 có 1.234.567 hồ sơ, đạt 83,94 % ngày 07/12/2026"
        ),
        ("Nhiệm vụ NQ57-CTCT-01 và đơn vị 00004", "Nhiệm vụ NQ57-CTCT-01 và đơn vị 00004"),
        ("a@b không phải thư, ai@ubnd.hanoi.gov.vn thì phải", "a@b không phải thư, [***] thì phải"),
        ("0243825123 (10 chữ số) và 02438251234", "[***] (10 chữ số) và [***]"),
    ])
    func personalDataIsMasked(typed: String, kept: String) {
        #expect(PersonalData.masked(typed) == kept)
        #expect(PersonalData.holdsPersonalData(typed) == (typed != kept))
    }

    @Test func aDraftIsCheckedFieldByFieldInBothLanguages() throws {
        let good = try FeedbackDraft(
            unit: "01", overall: 4, factors: ["staff": 5, "access": 3],
            comment: "  Cán bộ tận tình; gọi 0912345678 nếu cần  "
        ).checked()
        #expect(good.subject == .unit("01") && good.overall == 4)
        #expect(good.factors == [.staff: 5, .access: 3])
        #expect(good.comment == "Cán bộ tận tình; gọi [***] nếu cần")
        #expect(try FeedbackDraft(task: "T-1", overall: 1, comment: "   ").checked().comment == nil)

        let bad = FeedbackDraft(
            unit: "01", task: "T-1", overall: 6, factors: ["speed": 3, "staff": 0],
            comment: String(repeating: "ý", count: 1_201))
        #expect(throws: ValidationFailure.self) { try bad.checked() }
        do {
            _ = try bad.checked()
        } catch {
            let fields = Set(error.errors.compactMap(\.column))
            #expect(fields == ["unit", "overall", "factors.speed", "factors.staff", "comment"])
            let comment = try #require(error.errors.first { $0.column == "comment" })
            #expect(comment.reason(in: .vi) == "ý kiến có tối đa 1.200 ký tự (ý kiến này có 1201)")
            #expect(comment.reason(in: .en).hasPrefix("a comment has at most 1200 characters"))
            #expect(error.errors.first { $0.column == "overall" }?.reason(in: .vi) == "hãy chọn điểm từ 1 đến 5")
        }
    }

    @Test func receiptsAreRandomAndReadBackAsTyped() {
        var generator = SystemRandomNumberGenerator()
        let receipts = (0..<200).map { _ in FeedbackReceipt.make(using: &generator) }
        #expect(Set(receipts).count == receipts.count)
        for receipt in receipts {
            #expect(receipt.count == 14 && receipt.split(separator: "-").map(\.count) == [4, 4, 4])
            #expect(FeedbackReceipt.normalised(receipt) == receipt)
            #expect(FeedbackReceipt.normalised(receipt.lowercased().replacingOccurrences(of: "-", with: "")) == receipt)
        }
        #expect(FeedbackReceipt.normalised("k7qf 3m2x 9pad") == "K7QF-3M2X-9PAD")
        #expect(FeedbackReceipt.normalised("O1IL-0000-0000") == "0111-0000-0000")
        #expect(FeedbackReceipt.normalised("K7QF-3M2X-9PA") == nil)
        #expect(FeedbackReceipt.normalised("K7QF-3M2X-9PAU") == nil)
    }

    @Test func aWindowTakesItsLimitThenSaysHowLongToWait() throws {
        let window = FeedbackLimits.Window(limit: 2, seconds: 60)
        var count: FeedbackLimits.Count?
        for second in [100, 110] {
            count = try FeedbackLimits.take(count, window, now: second).get()
        }
        #expect(count == FeedbackLimits.Count(start: 100, taken: 2))
        #expect(throws: FeedbackLimits.Wait(seconds: 30)) { try FeedbackLimits.take(count, window, now: 130).get() }
        #expect(try FeedbackLimits.take(count, window, now: 160).get() == FeedbackLimits.Count(start: 160, taken: 1))
    }

    @Test func anIdenticalCommentHasOneDigestWhateverItsCaseAndSpacing() {
        let one = Feedback.commentDigest(unit: "01", task: nil, comment: "Thủ tục  nhanh\nGọn")
        #expect(one == Feedback.commentDigest(unit: "01", task: nil, comment: "thủ tục nhanh gọn"))
        #expect(one != Feedback.commentDigest(unit: "79", task: nil, comment: "thủ tục nhanh gọn"))
        #expect(Feedback.period(of: "2026-12-31T18:30:00Z") == "2027-01")
    }

    /// The publication rules of a figure (its numbers are held to the Python reference by
    /// Tests/system/test_satisfaction_reference.py).
    @Test func aFigureIsShownFromThirtyRatingsAndMarkedUncertainWhenItsIntervalIsWide() {
        var counts = ScoreCounts()
        for score in [1, 2, 3, 4, 5, 4, 4, 5] { counts.add(score: score, count: 3) }
        #expect(counts.n == 24 && counts.satisfied == 15)
        let few = Satisfaction.of(counts)
        #expect(!few.isShown && few.n == 24)
        counts.add(score: 5, count: 6)
        let enough = Satisfaction.of(counts)
        #expect(enough.isShown && enough.low < enough.share && enough.share < enough.high)
        #expect(enough.isUncertain == (enough.high - enough.low > 0.2))
        var many = counts
        for _ in 0..<20 { many.add(counts) }
        let precise = Satisfaction.of(many)
        #expect(precise.share == enough.share && precise.high - precise.low < enough.high - enough.low)
        #expect(!precise.isUncertain && enough.isUncertain)
        #expect(Satisfaction.of(ScoreCounts()).isShown == false)
        #expect(Satisfaction.wilson(successes: 0, n: 0) == (0, 1))
        let all = Satisfaction.wilson(successes: 40, n: 40)
        #expect(all.high == 1 && all.low < 1)
    }

    /// The unit's answer is due 15 days after publication; one interim reply moves it once.
    @Test func anAnswerIsDueFifteenDaysAfterPublicationAndAnInterimReplyMovesItOnce() throws {
        var rating = Feedback(
            receipt: "AAAA-BBBB-CCCC", unit: "01", task: nil, overall: 2, factors: [:], comment: "Chậm",
            state: .pending, period: "2026-03", receivedAt: "2026-03-01T01:00:00Z", reference: "R")
        #expect(rating.answerDue == nil)
        #expect(throws: ValidationFailure.self) {
            try rating.answered("Đã xử lý", interim: false, at: "2026-03-02T00:00:00Z")
        }
        // Published at 23:30 UTC on 28 February: 1 March in Hà Nội.
        rating = try rating.moderated(.publish, at: "2026-02-28T23:30:00Z")
        let published = try #require(HanoiTime.day(of: "2026-02-28T23:30:00Z"))
        #expect(rating.answerDue == published.adding(days: Feedback.answerDays))
        #expect(rating.answerIsOverdue(today: published.adding(days: 15)) == false)
        #expect(rating.answerIsOverdue(today: published.adding(days: 16)))
        rating = try rating.answered("Đang xác minh", interim: true, at: "2026-03-05T02:00:00Z")
        #expect(rating.answerDue == published.adding(days: 2 * Feedback.answerDays))
        #expect(throws: ValidationFailure.self) {
            try rating.answered("Lần hai", interim: true, at: "2026-03-06T02:00:00Z")
        }
        #expect(throws: ValidationFailure.self) {
            try rating.answered("   ", interim: false, at: "2026-03-06T02:00:00Z")
        }
        let answered = try rating.answered("Gọi 0912345678 để biết thêm", interim: false, at: "2026-03-20T02:00:00Z")
        #expect(
            answered.answer == "Gọi [***] để biết thêm" && answered.answeredOnTime == true && !answered.awaitsAnswer)
        #expect(throws: ValidationFailure.self) {
            try answered.answered("Nữa", interim: false, at: "2026-03-21T02:00:00Z")
        }
        // Published again after being hidden, the answer is still due from the first publication.
        let hidden = try rating.moderated(.hide(.offTopic), at: "2026-03-06T00:00:00Z")
        #expect(try hidden.moderated(.publish, at: "2026-03-10T00:00:00Z").publishedAt == "2026-02-28T23:30:00Z")
    }

    /// "Answered on time" counts a comment once its answer came or its due day passed: on the
    /// due day itself an answer is on time, the day after it is late, and an answer given after
    /// the day asked about is not yet known then.
    @Test func answeredOnTimeCountsAtTheDueDayAndTheDayAfter() throws {
        let published = try #require(HanoiTime.day(of: "2026-03-01T02:00:00Z"))
        let due = published.adding(days: Feedback.answerDays)
        func comment(_ receipt: String, unit: String = "01", answeredOn day: CivilDate?) throws -> Feedback {
            var rating = Feedback(
                receipt: receipt, unit: unit, task: nil, overall: 2, factors: [:], comment: "Chậm \(receipt)",
                state: .pending, period: "2026-03", receivedAt: "2026-03-01T01:00:00Z", reference: "R" + receipt)
            rating = try rating.moderated(.publish, at: "2026-03-01T02:00:00Z")
            guard let day else { return rating }
            return try rating.answered("Đã xử lý", interim: false, at: "\(day)T03:00:00Z")
        }
        let onDueDay = try comment("A", answeredOn: due)
        let dayLate = try comment("B", answeredOn: due.adding(days: 1))
        let never = try comment("C", answeredOn: nil)
        let unpublished = Feedback(
            receipt: "D", unit: "01", task: nil, overall: 3, factors: [:], comment: "x", state: .pending,
            period: "2026-03", receivedAt: "2026-03-01T01:00:00Z", reference: "RD")
        #expect(onDueDay.answerTimeliness(on: due) == true)
        #expect(onDueDay.answerTimeliness(on: due.adding(days: -1)) == nil)
        #expect(dayLate.answerTimeliness(on: due) == nil)
        #expect(dayLate.answerTimeliness(on: due.adding(days: 1)) == false)
        #expect(never.answerTimeliness(on: due) == nil && never.answerTimeliness(on: due.adding(days: 1)) == false)
        #expect(unpublished.answerTimeliness(on: due.adding(days: 100)) == nil)
        #expect(never.answerTimeliness(on: published.adding(days: -1)) == nil)
        let other = try comment("E", unit: "79", answeredOn: published)
        let all = [onDueDay, dayLate, never, unpublished, other]
        #expect(Feedback.answeredOnTimeRates(all, on: due) == ["01": 1, "79": 1])
        #expect(Feedback.answeredOnTimeRates(all, on: due.adding(days: 1)) == ["01": 1.0 / 3, "79": 1])
        #expect(Feedback.answeredOnTimeRates(all, on: published.adding(days: -1)).isEmpty)
    }

    /// A rating's fact holds its scores and a digest binding its content, never the receipt or
    /// the comment; each answer stage is a fact of its own, on time or not.
    @Test func aRatingsFactHoldsNoTextAndItsAnswersAreFactsByStage() throws {
        var rating = Feedback(
            receipt: "K7QF-3M2X-9PAD", unit: "00004", task: "NQ57-01", overall: 2, factors: [.results: 1],
            comment: "Chưa nhận được kết quả", state: .pending, period: "2026-03", receivedAt: "2026-03-01T01:00:00Z",
            reference: "7RD2-WQ4N-H8CE")
        let fact = try rating.acceptedFact()
        let leaf = String(decoding: fact.canonicalBytes, as: UTF8.self)
        #expect(!leaf.contains("K7QF") && !leaf.contains("kết quả"))
        #expect(fact.fields["task"] == "NQ57-01" && fact.fields["results"] == "1" && fact.fields["illustrative"] == nil)
        var changed = rating
        changed.comment = "Chưa nhận được kết quả!"
        #expect(try changed.acceptedFact().fields["digest"] != fact.fields["digest"])
        #expect(try changed.acceptedFact().key == fact.key)
        #expect(try rating.answerFact(.answer) == nil)
        rating = try rating.moderated(.publish, at: "2026-03-01T02:00:00Z")
        rating = try rating.answered("Đang xác minh", interim: true, at: "2026-03-10T02:00:00Z")
        rating = try rating.answered("Đã trả kết quả", interim: false, at: "2026-03-31T02:00:00Z")
        #expect(rating.answerStages == [.interim, .answer])
        let interim = try #require(try rating.answerFact(.interim))
        let answer = try #require(try rating.answerFact(.answer))
        #expect(interim.key == "published-answer/7RD2-WQ4N-H8CE/interim" && interim.fields["onTime"] == "true")
        // The interim reply moved the due day to 31 March: the answer that day is on time.
        #expect(answer.fields["due"] == "2026-03-31" && answer.fields["onTime"] == "true")
        rating = try rating.ratedAnswer(1, parent: "79", at: "2026-04-01T02:00:00Z")
        rating = try rating.answered("Tỉnh đã chỉ đạo", interim: false, at: "2026-04-20T02:00:00Z")
        let appeal = try #require(try rating.answerFact(.appeal))
        #expect(appeal.fields["unit"] == "79" && appeal.fields["rated"] == "00004")
        #expect(appeal.fields["due"] == "2026-04-16" && appeal.fields["onTime"] == "false")
    }

    /// The citizen rates the answer once; 1 or 2 reopens the comment for the parent unit, which
    /// answers within 15 days of the appeal; the unit's own timeliness is judged by its own day.
    @Test func aPoorRatingOfTheAnswerAppealsToTheParentUnit() throws {
        var rating = Feedback(
            receipt: "AAAA-BBBB-CCCC", unit: "00004", task: nil, overall: 1, factors: [:], comment: "Chậm",
            state: .pending, period: "2026-03", receivedAt: "2026-03-01T01:00:00Z", reference: "R")
        rating = try rating.moderated(.publish, at: "2026-03-01T02:00:00Z")
        #expect(throws: ValidationFailure.self) { try rating.ratedAnswer(1, parent: "01", at: "2026-03-02T00:00:00Z") }
        rating = try rating.answered("Đã xử lý", interim: false, at: "2026-03-10T02:00:00Z")
        #expect(throws: ValidationFailure.self) { try rating.ratedAnswer(6, parent: "01", at: "2026-03-11T00:00:00Z") }
        let content = try rating.ratedAnswer(4, parent: "01", at: "2026-03-11T00:00:00Z")
        #expect(content.appealUnit == nil && !content.awaitsAnswer && content.answerRating == 4)
        let appealed = try rating.ratedAnswer(2, parent: "01", at: "2026-03-11T00:00:00Z")
        #expect(appealed.appealUnit == "01" && appealed.answeringUnit == "01" && appealed.awaitsAnswer)
        #expect(appealed.answerDue == HanoiTime.day(of: "2026-03-11T00:00:00Z")?.adding(days: Feedback.answerDays))
        #expect(appealed.answeredOnTime == true)
        #expect(throws: ValidationFailure.self) {
            try appealed.ratedAnswer(1, parent: "01", at: "2026-03-12T00:00:00Z")
        }
        #expect(throws: ValidationFailure.self) {
            try appealed.answered("Tạm", interim: true, at: "2026-03-12T00:00:00Z")
        }
        let settled = try appealed.answered("Tỉnh đã kiểm tra", interim: false, at: "2026-03-20T00:00:00Z")
        #expect(settled.appealAnswer == "Tỉnh đã kiểm tra" && settled.answer == "Đã xử lý" && !settled.awaitsAnswer)
        // A unit without a parent takes no appeal.
        #expect(try rating.ratedAnswer(1, parent: nil, at: "2026-03-11T00:00:00Z").appealUnit == nil)
    }
}
