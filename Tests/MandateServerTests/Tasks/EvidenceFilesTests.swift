import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// Evidence files are typed by their content (`EvidenceType`), whatever their uploader says, and
/// served as sandboxed attachments.
@Suite struct EvidenceFilesTests {
    @Test func aFileIsTypedByItsContentAndServedSandboxed() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            var (status, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks", TasksAPITests.newTask("EV-1"), as: analyst)
            #expect(status == .created)
            (status, data) = try await TasksAPITests.post(
                client, "/api/v1/tasks/EV-1/reports", ["unit": "01", "percent": 40, "narrative": "Ảnh chụp"],
                as: reporter)
            #expect(status == .created)
            let report = try JSONDecoder().decode(TasksAPITests.ReportBody.self, from: data)
            func upload(_ bytes: [UInt8], name: String, type: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/reports/\(report.id)/files?name=\(name)", method: .post,
                    headers: [
                        .cookie: "mandate_session=\(reporter.cookie)", .xCSRFToken: reporter.csrf, .contentType: type,
                    ], body: ByteBuffer(bytes: bytes))
            }
            // A PNG sent as a web page is stored as the PNG it is.
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
            let stored = try await upload(png, name: "scan.png", type: "text/html")
            #expect(stored.status == .created)
            let files = try JSONDecoder().decode(TasksAPITests.ReportBody.self, from: Data(buffer: stored.body)).files
            #expect(files.map(\.contentType) == ["image/png"])
            // A web page sent as a PNG is refused, and nothing is stored.
            let page = try await upload(Array("<html><script>alert(1)</script>".utf8), name: "x.png", type: "image/png")
            #expect(page.status == .unprocessableContent)
            #expect(try page.problem().errors?.first?.field == "file")
            let detail = try await client.json(
                TasksAPITests.DetailBody.self, "/api/v1/tasks/EV-1", headers: reporter.headers)
            #expect(detail.reports.first?.files.count == 1)
            // Served as an attachment of its type, not to be sniffed, in a sandbox.
            try await client.execute(
                uri: "/api/v1/reports/\(report.id)/files/\(SHA256Hex.of(Data(png)))", method: .get,
                headers: reporter.headers
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            }
        }
    }
}
