import MandateCore
import Synchronization
import Testing

@testable import MandateServer
@testable import MandateStore

/// Parts of pages kept between renders are dropped exactly by the commits that may change them
/// (`KeptParts`, with the edge's rule `ChangeTags.affects`).
@Suite struct KeptPartsTests {
    final class Made: Sendable {
        let count = Mutex(0)

        func next() -> Int {
            count.withLock {
                $0 += 1; return $0
            }
        }
    }

    @Test func aPartIsMadeAgainOnlyAfterACommitThatChangesWhatItReads() async throws {
        let commits = CommitObservers()
        let parts = KeptParts(lifetime: .seconds(60), commits: commits)
        let made = Made()
        func map() async throws -> Int { try await parts.part("map", reads: [.units, .rankings]) { made.next() } }
        func feed() async throws -> Int { try await parts.part("feed", reads: [.log]) { made.next() } }

        #expect(try await map() == 1)
        #expect(try await feed() == 2)
        #expect(try await map() == 1)
        #expect(try await feed() == 2)
        // An approved value: a unit's figures and the log; the map reads neither.
        commits.notify([.unit("00004"), .unit("01"), .indicator("CQS001"), .log])
        #expect(try await map() == 1)
        #expect(try await feed() == 3)
        // A draft changes nothing public.
        commits.notify(.nothingPublic)
        #expect(try await map() == 1)
        #expect(try await feed() == 3)
        commits.notify([.rankings])
        #expect(try await map() == 4)
        // A change of the unit tree changes every answer.
        commits.notify([.units])
        #expect(try await feed() == 5)
        #expect(try await map() == 6)
    }

    @Test func aPartMadeAcrossACommitThatChangesItIsNotKept() async throws {
        let commits = CommitObservers()
        let parts = KeptParts(lifetime: .seconds(60), commits: commits)
        let made = Made()
        let first = try await parts.part("feed", reads: [.log]) {
            commits.notify([.log])
            return made.next()
        }
        #expect(first == 1)
        #expect(try await parts.part("feed", reads: [.log]) { made.next() } == 2)
        #expect(try await parts.part("feed", reads: [.log]) { made.next() } == 2)
        // One made across an unrelated commit is kept.
        _ = try await parts.part("map", reads: [.rankings]) {
            commits.notify([.log])
            return made.next()
        }
        #expect(try await parts.part("map", reads: [.rankings]) { made.next() } == 3)
    }

    @Test func aPartExpiresAndTheTableStaysWithinItsCapacity() async throws {
        let made = Made()
        let brief = KeptParts(lifetime: .zero)
        _ = try await brief.part("a", reads: [.rankings]) { made.next() }
        #expect(try await brief.part("a", reads: [.rankings]) { made.next() } == 2)

        let small = KeptParts(lifetime: .seconds(60), capacity: 3)
        for key in ["a", "b", "c", "d", "e"] { _ = try await small.part(key, reads: [.log]) { made.next() } }
        #expect(small.count <= 3)
    }
}
