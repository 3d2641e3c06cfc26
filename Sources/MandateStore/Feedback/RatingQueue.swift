import MandateCore
import Synchronization

/// A group commit for ratings: a rating that arrives while a commit is under way waits for the
/// next, which takes every rating then waiting (up to `batchLimit`) in one transaction, so that a
/// thousand ratings a second cost a few commits rather than a thousand. Each rating is answered
/// only once the commit that kept it is durable, so a receipt returned is never lost.
final class RatingQueue: Sendable {
    typealias Waiting = (feedback: Feedback, answer: CheckedContinuation<FeedbackReceipt.Outcome, any Error>)

    /// The most ratings one transaction takes (their parameters stay far below the databases' limits).
    static let batchLimit = 500

    private let state = Mutex<(waiting: [Waiting], committing: Bool)>(([], false))

    /// `feedback`'s outcome once `commit` has kept it with the others waiting with it.
    func receive(
        _ feedback: Feedback, commit: @escaping @Sendable ([Feedback]) async throws -> [FeedbackReceipt.Outcome]
    ) async throws -> FeedbackReceipt.Outcome {
        try await withCheckedThrowingContinuation { answer in
            let leads = state.withLock { state in
                state.waiting.append((feedback, answer))
                if state.committing { return false }
                state.committing = true
                return true
            }
            if leads { Task { await self.drain(commit) } }
        }
    }

    /// Commits what waits, batch after batch, until nothing does. A batch that fails is tried
    /// again rating by rating, so that one rating's failure is its own.
    private func drain(_ commit: @Sendable ([Feedback]) async throws -> [FeedbackReceipt.Outcome]) async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.waiting.prefix(Self.batchLimit))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.committing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let outcomes = try await commit(batch.map(\.feedback))
                for (waiting, outcome) in zip(batch, outcomes) { waiting.answer.resume(returning: outcome) }
            } catch  where batch.count > 1 {
                for waiting in batch {
                    do {
                        waiting.answer.resume(returning: try await commit([waiting.feedback])[0])
                    } catch {
                        waiting.answer.resume(throwing: error)
                    }
                }
            } catch {
                batch[0].answer.resume(throwing: error)
            }
        }
    }
}
