import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// The ranking method editor: the method as JSON with its weights normalised, a preview beside
/// the current version before anything is saved, and saving as the next version.
@Suite struct RankingEditorTests {
    @Test func aMethodIsPreviewedBesideItsCurrentVersionThenSavedAsTheNext() async throws {
        try await withApp { client in
            let analyst = try await client.signIn("analyst@demo.mandate.vn")
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            try await client.execute(
                uri: "/rankings/methods/edit?method=province-dti", method: .get,
                headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { #expect($0.status == .forbidden) }
            var page = try await TaskPagesTests.page(client, "/rankings", as: analyst)
            #expect(page.contains("id=\"editor-form\""))
            page = try await TaskPagesTests.page(client, "/rankings/methods/edit?method=province-dti", as: analyst)
            #expect(page.contains("id=\"editor-json\"") && page.contains("id=\"editor-weights\""))
            let current = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            // The shares shown are the weights scaled to 100 %.
            let sum = current.pillars.reduce(0) { $0 + $1.weight }
            let first = NumberText.format(current.pillars[0].weight / sum * 100, .vi) + " %"
            #expect(page.contains(first))

            var edited = current
            edited.pillars[0].weight *= 3
            let json = String(decoding: try JSONEncoder().encode(edited), as: UTF8.self)
            func form(_ action: String, _ json: String) -> String {
                "method=province-dti&period=2025&action=\(action)&json=\(json.formEncoded)"
            }
            var (status, text, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("preview", json), as: analyst)
            #expect(status == .ok)
            #expect(text.contains("id=\"editor-preview\"") && text.contains("Hà Nội"))
            // Nothing is saved by a preview.
            #expect(
                try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti").version
                    == current.version)

            (status, text, _) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("preview", "{\"id\": 1}"), as: analyst)
            #expect(status == .unprocessableContent && text.contains("id=\"editor-problems\""))

            (status, _, location) = try await TaskPagesTests.post(
                client, "/rankings/methods/edit", form("save", json), as: analyst)
            #expect(status == .seeOther && location == "/rankings/methods/edit?method=province-dti&done=saved")
            let saved = try await client.json(RankingMethod.self, "/api/v1/ranking-methods/province-dti")
            #expect(saved.version == current.version + 1 && saved.pillars[0].weight == current.pillars[0].weight * 3)
        }
    }
}
