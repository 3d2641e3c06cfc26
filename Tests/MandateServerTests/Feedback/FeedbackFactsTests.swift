import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// Ratings and answers in the transparency log (issue 22, point 7): each accepted rating's digest
/// and each published answer are facts, listed among the public facts an auditor checks, and a
/// citizen finds their rating's leaf from the receipt.
@Suite struct FeedbackFactsTests {
    typealias Harness = TransparencyLogTests.Harness

    @Test func aRatingAndItsAnswerAreLoggedAndTheReceiptFindsTheRating() async throws {
        try await TransparencyLogTests.withLog(demo: true) { log in
            let comment = "Cán bộ hướng dẫn tận tình"
            let (status, data, _) = try await FeedbackTests.rate(
                log.client, ["unit": "00004", "overall": 5, "factors": ["staff": 5], "comment": comment])
            #expect(status == .created)
            let receipt = try JSONDecoder().decode(FeedbackTests.Received.self, from: data).receipt
            // Another rating of the same comment is counted once, and logged once.
            _ = try await FeedbackTests.rate(log.client, ["unit": "00004", "overall": 5, "comment": comment])

            let key = Feedback.ratingFactKey(receipt: receipt)
            let entry = try #require(try await log.store.log.entry(key: key))
            let fact = try #require(PublishedFact(canonicalBytes: entry.data))
            #expect(fact.kind == .acceptedRating)
            #expect(fact.fields["unit"] == "00004" && fact.fields["overall"] == "5" && fact.fields["staff"] == "5")
            #expect(fact.fields["comment"] == "true" && fact.fields["access"] == nil)
            let stored = try #require(try await log.store.feedback.feedback(receipt: receipt))
            #expect(fact.fields["digest"] == stored.digest)
            // Neither the receipt nor the text is in the leaf.
            let leaf = String(decoding: entry.data, as: UTF8.self)
            #expect(!leaf.contains(receipt) && !leaf.contains("tận tình"))
            let ratings = try await log.store.log.entries(in: 0..<(try await log.store.log.size())).filter {
                let fact = PublishedFact(canonicalBytes: $0.data)
                return fact?.kind == .acceptedRating && fact?.fields["unit"] == "00004"
            }
            #expect(ratings.count == 1)

            // The unit's head publishes the comment, its reporter answers: a published answer.
            let actor = Actor(userId: nil, at: log.store.clock.now())
            let reference = try #require(stored.reference)
            _ = try await log.store.feedback.moderate(reference: reference, .publish, by: actor)
            let answered = try #require(
                try await log.store.feedback.answer(
                    reference: reference, "Cảm ơn ông/bà", interim: false, by: actor))
            let answer = try #require(try await log.store.log.entry(key: "published-answer/\(reference)/answer"))
            let answerFact = try #require(PublishedFact(canonicalBytes: answer.data))
            #expect(answerFact.kind == .publishedAnswer && answerFact.fields["unit"] == "00004")
            #expect(
                answerFact.fields["onTime"] == "true" && answerFact.fields["due"] == answered.unitAnswerDue?.description
            )
            #expect(answerFact.fields["textSha256"] == SHA256Hex.of(Data("Cảm ơn ông/bà".utf8)))
            #expect(LiveEvent(answer).name == "answer-published" && LiveEvent(answer).isAnnounced)
            #expect(!LiveEvent(entry).isAnnounced)

            // An auditor finds every public fact, these two among them, in the log.
            try await log.checkpointer.checkpointIfNeeded()
            let audit = try await LogAudit(source: TransparencyLogTests.ClientSource(client: log.client)).run(
                verifierKey: nil, saved: nil)
            #expect(audit.facts.contains(fact) && audit.facts.contains(answerFact))
            let listed = try await log.client.execute(uri: "/api/v1/log/facts?limit=10000", method: .get) {
                String(buffer: $0.body)
            }
            #expect(listed.contains(key) && listed.contains("published-answer/\(reference)/answer"))

            // The citizen types the receipt as they like on the transparency page; the rating's
            // leaf verifies against the signed root, and the page shows the key, not the receipt.
            let typed = receipt.lowercased().replacingOccurrences(of: "-", with: " ")
            let (checked, html) = try await TransparencyPageTests.page(
                log, "/transparency?receipt=\(typed.formEncoded)")
            #expect(checked == .ok && html.contains(#"data-verdict="verified""#) && html.contains(key))
            #expect(!html.contains(receipt))
            let (unknown, refused) = try await TransparencyPageTests.page(
                log, "/transparency?receipt=0000-0000-0000&lang=en")
            #expect(unknown == .notFound && refused.contains("no rating with receipt “0000-0000-0000” is in the log"))
            let (malformed, _) = try await TransparencyPageTests.page(log, "/transparency?receipt=not-a-receipt")
            #expect(malformed == .notFound)
            // The receipt's page links to that check.
            let receiptPage = try await TaskPagesTests.page(log.client, "/feedback/\(receipt)")
            #expect(receiptPage.contains("/transparency?key=\(key.formEncoded)#check"))
        }
    }
}
