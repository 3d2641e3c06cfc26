import Foundation
import MandateCore
import Testing

@testable import MandateStore

/// Ratings kept once on both engines: an identical comment about the same subject is a duplicate,
/// the counts of a province take in its communes', and a month outside the period is left out.
@Suite struct FeedbackRepositoryTests {
    static func rating(
        _ receipt: String, unit: String, overall: Int, factors: [SipasFactor: Int] = [:], comment: String? = nil,
        period: String = "2026-03"
    ) -> Feedback {
        Feedback(
            receipt: receipt, unit: unit, task: nil, overall: overall, factors: factors, comment: comment,
            state: comment == nil ? .recorded : .pending, period: period, receivedAt: period + "-10T03:00:00Z")
    }

    @Test(arguments: TestDatabase.available)
    func ratingsAreKeptOnceAndCountedWithTheCommunes(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let feedback = store.feedback
            #expect(
                try await feedback.receive(Self.rating("AAAA-0000-0001", unit: "01", overall: 5, comment: "Tốt"))
                    == .received)
            #expect(
                try await feedback.receive(Self.rating("AAAA-0000-0002", unit: "01", overall: 1, comment: "tốt  "))
                    == .duplicate)
            #expect(try await feedback.feedback(receipt: "AAAA-0000-0002") == nil)
            #expect(
                try await feedback.receive(
                    Self.rating("AAAA-0000-0003", unit: "00004", overall: 4, factors: [.staff: 2, .access: 5]))
                    == .received)
            #expect(
                try await feedback.receive(Self.rating("AAAA-0000-0004", unit: "00004", overall: 2, period: "2025-12"))
                    == .received)
            let kept = try #require(try await feedback.feedback(receipt: "AAAA-0000-0003"))
            #expect(kept.factors == [.staff: 2, .access: 5] && kept.comment == nil && kept.state == .recorded)

            let province = try await feedback.counts(rollingUp: "01", from: "2026-01", through: "2026-12")
            #expect(province.overall.counts == [0, 0, 0, 1, 1])
            #expect(province.factors[.staff]?.counts == [0, 1, 0, 0, 0])
            let commune = try await feedback.counts(rollingUp: "00004", from: "2025-01", through: "2026-12")
            #expect(commune.overall.counts == [0, 1, 0, 1, 0])
            #expect(try await feedback.counts(rollingUp: "79", from: "2026-01", through: "2026-12").overall.n == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func moderationAndReportsAreKept(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let feedback = store.feedback
            var rating = Self.rating("BBBB-0000-0001", unit: "01", overall: 3, comment: "Chậm")
            rating.reference = "REF0-0000-0001"
            #expect(try await feedback.receive(rating) == .received)
            #expect(try await feedback.moderationQueue(units: ["01"], limit: 10).map(\.receipt) == ["BBBB-0000-0001"])
            #expect(try await feedback.report(reference: "REF0-0000-0001") == false)
            let actor = Actor(userId: nil, at: "2026-03-11T00:00:00Z")
            #expect(try await feedback.moderate(reference: "REF0-0000-0001", .publish, by: actor)?.state == .published)
            #expect(try await feedback.moderationQueue(units: nil, limit: 10).isEmpty)
            #expect(try await feedback.published(unit: "01", limit: 5).map(\.comment) == ["Chậm"])
            #expect(try await feedback.report(reference: "REF0-0000-0001"))
            #expect(try await feedback.moderationQueue(units: ["01"], limit: 10).first?.reports == 1)
            let hidden = try await feedback.moderate(reference: "REF0-0000-0001", .hide(.offTopic), by: actor)
            #expect(hidden?.state == .hidden && hidden?.reports == 0)
            #expect(try await feedback.hidden(rollingUp: "01", from: "2026-01", through: "2026-12") == [.offTopic: 1])
            #expect(try await feedback.feedback(reference: "REF0-0000-0001")?.hiddenReason == .offTopic)
            #expect(try await feedback.moderate(reference: "NONE", .publish, by: actor) == nil)
            let counts = try await feedback.scoreCounts()
            #expect(counts == [ScoreCount(unit: "01", period: "2026-03", measure: "overall", score: 3, count: 1)])
        }
    }

    /// Answered on time is a delivery measure of the unit rated, as rankings read it: of two
    /// published comments of province 01 due on 26 March, one answered by then; the facts of the
    /// ratings and the answer are logged, and derived again from the rows in the same order.
    @Test(arguments: TestDatabase.available)
    func answeredOnTimeIsADeliveryMeasureAndEveryStepIsLogged(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let feedback = store.feedback
            let actor = Actor(userId: nil, at: "2026-03-11T00:00:00Z")
            for (receipt, reference) in [("CCCC-0000-0001", "REF1-0000-0001"), ("CCCC-0000-0002", "REF1-0000-0002")] {
                var rating = Self.rating(receipt, unit: "01", overall: 2, comment: "Chậm " + receipt)
                rating.reference = reference
                #expect(try await feedback.receive(rating) == .received)
                _ = try await feedback.moderate(reference: reference, .publish, by: actor)
            }
            _ = try await feedback.answer(
                reference: "REF1-0000-0001", "Đã xử lý", interim: false,
                by: Actor(userId: nil, at: "2026-03-20T00:00:00Z"))
            let due = try #require(try await feedback.feedback(reference: "REF1-0000-0002")?.unitAnswerDue)
            #expect(due.description == "2026-03-26")
            #expect(try await feedback.answeredOnTimeRates(on: due) == ["01": 1])
            #expect(try await feedback.answeredOnTimeRates(on: due.adding(days: 1)) == ["01": 0.5])
            let april = try await store.delivery.measures(kind: .province, period: try Period("202604"))
            #expect(april["01"]?[.feedbackAnsweredOnTime] == 50)
            #expect(try await store.delivery.measures(kind: .commune, period: try Period("202604"))["01"] == nil)

            let facts = try await feedback.facts(limit: 100, offset: 0)
            #expect(try await feedback.factCount() == 3 && facts.count == 3)
            #expect(facts.map(\.kind) == [.acceptedRating, .acceptedRating, .publishedAnswer])
            #expect(try await feedback.facts(limit: 2, offset: 1).map(\.key) == facts[1...].map(\.key))
            for fact in facts {
                #expect(try await store.log.entry(key: fact.key)?.data == fact.canonicalBytes)
            }
        }
    }

    /// Ratings sent at once are kept together (a group commit): each gets its outcome, an identical
    /// comment sent twice at once is kept once, and every kept rating has its one fact in the log.
    @Test(arguments: TestDatabase.available)
    func ratingsSentAtOnceAreEachAnsweredAndLoggedOnce(database: TestDatabase) async throws {
        try await database.withStore(demo: false) { store in
            let feedback = store.feedback
            let sizeBefore = try await store.log.size()
            let ratings = (0..<60).map { n in
                Self.rating(
                    String(format: "DDDD-0000-%04d", n), unit: n % 2 == 0 ? "01" : "00004", overall: 1 + n % 5)
            }
            let outcomes = try await withThrowingTaskGroup(of: (String, FeedbackReceipt.Outcome).self) { group in
                for rating in ratings { group.addTask { (rating.receipt, try await feedback.receive(rating)) } }
                var outcomes: [String: FeedbackReceipt.Outcome] = [:]
                for try await (receipt, outcome) in group { outcomes[receipt] = outcome }
                return outcomes
            }
            #expect(outcomes.count == 60 && outcomes.values.allSatisfy { $0 == .received })
            #expect(try await store.log.size() == sizeBefore + 60)
            for rating in ratings {
                #expect(try await store.log.entry(key: Feedback.ratingFactKey(receipt: rating.receipt)) != nil)
            }
            let same = (0..<8).map { n in
                Self.rating(String(format: "EEEE-0000-%04d", n), unit: "79", overall: 3, comment: "Lặp lại")
            }
            let repeated = try await withThrowingTaskGroup(of: FeedbackReceipt.Outcome.self) { group in
                for rating in same { group.addTask { try await feedback.receive(rating) } }
                var outcomes: [FeedbackReceipt.Outcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(repeated.count { $0 == .received } == 1 && repeated.count { $0 == .duplicate } == 7)
            #expect(try await store.log.size() == sizeBefore + 61)
        }
    }
}
