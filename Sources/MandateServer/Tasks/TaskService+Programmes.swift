import Foundation
import MandateCore
import MandateStore

/// The committee's programmes as data: defined, edited and archived by who may define them
/// (`Action.defineProgramme` on the committee's unit), checked by `ProgrammeDraft`.
extension TaskService {
    func programme(_ code: String) async throws -> Programme {
        guard let programme = try await tasks.programme(code) else {
            throw AppError.notFound("no programme has code \"\(code)\"")
        }
        return programme
    }

    func requireMayDefineProgrammes(_ caller: Caller, target: String) async throws {
        try await require(.defineProgramme, on: try await committeeUnit(), caller, target: target)
    }

    func createProgramme(_ draft: ProgrammeDraft, _ caller: Caller) async throws -> Programme {
        try await requireMayDefineProgrammes(caller, target: "programme:\(draft.code)")
        let programme = try draft.programme()
        if try await tasks.programme(programme.code) != nil {
            throw StateConflict(field: "code", "a programme with code \(programme.code) already exists")
        }
        try await tasks.save(programme)
        return programme
    }

    /// Replaces what the committee defines of a programme; its code and archive state stay, and
    /// the orientations its tasks name are kept.
    func updateProgramme(_ code: String, _ draft: ProgrammeDraft, _ caller: Caller) async throws -> Programme {
        try await requireMayDefineProgrammes(caller, target: "programme:\(code)")
        let stored = try await programme(code)
        guard draft.code == code else {
            throw AppError.badRequest(field: "code", "the body's code \"\(draft.code)\" is not the path's \"\(code)\"")
        }
        let programme = try draft.programme(
            used: try await tasks.usedOrientations(of: code), archivedAt: stored.archivedAt)
        try await tasks.save(programme)
        return programme
    }

    /// Archives a programme (it takes no new tasks) or opens it again.
    func archiveProgramme(_ code: String, archived: Bool, _ caller: Caller) async throws -> Programme {
        try await requireMayDefineProgrammes(caller, target: "programme:\(code)")
        var programme = try await programme(code)
        programme.archivedAt = archived ? programme.archivedAt ?? clock.now() : nil
        try await tasks.save(programme)
        return programme
    }
}
