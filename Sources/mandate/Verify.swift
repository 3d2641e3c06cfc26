import ArgumentParser
import Foundation
import MandateCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a Mandate server's transparency log from its public endpoints alone.",
        discussion: """
            Checks the checkpoint's signature, that the entry bundles and hash tiles rebuild the signed root, \
            that every leaf is a well-formed published fact, and, given a checkpoint saved earlier, that the \
            current one is consistent with it. Any mismatch exits non-zero with a message.
            """)

    @Option(help: "The server's base URL, e.g. https://mandate.example.vn") var server: String
    @Option(help: "The verifier key to trust (default: the one the server publishes, which proves less).")
    var key: String?
    @Option(help: "A signed checkpoint saved earlier; the current one must be consistent with it.")
    var checkpoint: String?
    @Option(help: "Save the current signed checkpoint to this file, to check the next run against.")
    var saveCheckpoint: String?

    func run() async throws {
        guard let base = URL(string: server), base.scheme == "http" || base.scheme == "https" else {
            throw ValidationError("--server must be an http or https URL")
        }
        let saved = try checkpoint.map { try String(contentsOfFile: $0, encoding: .utf8) }
        do {
            let report = try await LogAudit(source: HTTPLogSource(base: base)).run(verifierKey: key, saved: saved)
            for line in report.lines { print("ok: \(line)") }
            if let saveCheckpoint {
                try report.signedNote.write(toFile: saveCheckpoint, atomically: true, encoding: .utf8)
                print("saved the checkpoint to \(saveCheckpoint)")
            }
            print("The log of \(report.checkpoint.origin) verifies: \(report.checkpoint.treeSize) published facts.")
        } catch let failure as LogAudit.Failure {
            var standardError = FileHandle.standardError
            print("verification FAILED: \(failure.description)", to: &standardError)
            throw ExitCode(1)
        }
    }
}

/// Reads the log over HTTP.
struct HTTPLogSource: LogSource {
    let base: URL

    func fetch(_ path: String) async throws -> Data {
        guard let url = URL(string: path, relativeTo: base) else {
            throw LogAudit.Failure(description: "cannot form a URL for \(path)")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(from: url)
        } catch {
            throw LogAudit.Failure(description: "cannot read \(url.absoluteString): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            throw LogAudit.Failure(description: "\(url.absoluteString) answered \(status)")
        }
        return data
    }
}
