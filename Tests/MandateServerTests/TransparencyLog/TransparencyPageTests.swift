import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import MandateStore
import Testing

@testable import MandateServer

/// The public transparency page, and the check of a fact's inclusion proof it runs in Swift.
@Suite struct TransparencyPageTests {
    typealias Harness = TransparencyLogTests.Harness

    /// The page's HTML and status for `uri`.
    static func page(_ log: Harness, _ uri: String) async throws -> (status: HTTPResponse.Status, html: String) {
        try await log.client.execute(uri: uri, method: .get) { ($0.status, $0.text) }
    }

    /// The fact's text as a template writes it into an attribute or a textarea.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func key(_ number: Int) -> String { "approved-value/T/\(number)" }

    @Test func anyoneSeesTheSignedCheckpointTheKeyAndTheLatestFacts() async throws {
        try await TransparencyLogTests.withLog { log in
            let empty = try await Self.page(log, "/transparency")
            #expect(empty.status == .ok)
            #expect(empty.html.contains(#"id="checkpoint-none""#))
            try await log.publish(25)
            let checkpoint = try #require(try await log.checkpointer.checkpointIfNeeded())
            let (status, html) = try await Self.page(log, "/transparency")
            #expect(status == .ok)
            #expect(html.contains(#"<html lang="vi">"#) && html.contains("<h1>Nhật ký minh bạch</h1>"))
            #expect(html.contains(#"<pre id="checkpoint-note" class="note">\#(Self.escaped(checkpoint.note))</pre>"#))
            #expect(html.contains(#"<code id="checkpoint-root" class="hash">\#(checkpoint.root.base64)</code>"#))
            #expect(html.contains(#"<dd id="checkpoint-size">25</dd>"#))
            let key = try await log.text("/.well-known/mandate-log-key").trimmingWhitespace()
            #expect(html.contains(#"<pre id="verifier-key" class="note">\#(key)</pre>"#))
            #expect(html.contains("mandate verify --server http://"))
            // The latest 20 facts, newest first, each with a link that checks it.
            let listed = html.components(separatedBy: #"<li data-key=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(listed.map(String.init) == (5..<25).reversed().map(Self.key))
            #expect(html.contains(#"href="/transparency?key=approved-value%2FT%2F24#check""#))
            #expect(html.contains(#"<script src="/static/js/transparency.js" defer></script>"#))
            #expect(html.contains(#"<a id="nav-transparency" href="/transparency">Nhật ký minh bạch</a>"#))

            let english = try await Self.page(log, "/transparency?lang=en")
            #expect(english.html.contains(#"<html lang="en">"#) && english.html.contains("<h1>Transparency log</h1>"))
            #expect(english.html.contains("Check in this browser"))
        }
    }

    @Test func theServerCheckShowsEachStepUpToTheSignedRoot() async throws {
        try await TransparencyLogTests.withLog { log in
            try await log.publish(7)
            let checkpoint = try #require(try await log.checkpointer.checkpointIfNeeded())
            let (status, html) = try await Self.page(log, "/transparency?key=approved-value%2FT%2F5")
            #expect(status == .ok)
            #expect(html.contains(#"id="check-result" class="check" data-verdict="verified""#))
            #expect(html.contains("Đã kiểm chứng"))
            let logged = try #require(try await log.store.log.entry(key: Self.key(5)))
            // The form keeps the key and shows the fact that was hashed.
            #expect(html.contains(#"value="approved-value/T/5""#))
            #expect(html.contains(">\(Self.escaped(String(decoding: logged.data, as: UTF8.self)))</textarea>"))
            // Leaf 5 of 7: the leaf hash, three steps, and the computed root equal to the signed one.
            #expect(html.contains(logged.leafHash.base64))
            let steps = try #require(html.components(separatedBy: #"<ol id="check-steps""#).last)
                .components(separatedBy: "</ol>")[0]
            #expect(steps.components(separatedBy: "Bước ").count - 1 == 3)
            #expect(html.contains(#"<code id="check-computed-root" class="hash">\#(checkpoint.root.base64)</code>"#))
            #expect(html.contains(#"<code id="check-signed-root" class="hash">\#(checkpoint.root.base64)</code>"#))
        }
    }

    @Test func aChangedValueIsReportedAsNotVerified() async throws {
        try await TransparencyLogTests.withLog { log in
            try await log.publish(4)
            let checkpoint = try #require(try await log.checkpointer.checkpointIfNeeded())
            let logged = try #require(try await log.store.log.entry(key: Self.key(2)))
            let changed = String(decoding: logged.data, as: UTF8.self)
                .replacingOccurrences(of: #""value":"2""#, with: #""value":"3""#)
            #expect(changed != String(decoding: logged.data, as: UTF8.self))
            let query = "key=approved-value%2FT%2F2&fact=" + changed.formEncoded
            let (status, html) = try await Self.page(log, "/transparency?" + query)
            #expect(status == .ok)
            #expect(html.contains(#"data-verdict="not-verified""#))
            #expect(html.contains("Không kiểm chứng được."))
            #expect(html.contains("Văn bản được kiểm chứng khác với dữ kiện mà nhật ký đang lưu."))
            #expect(html.contains(MerkleHash.leafHash(of: Data(changed.utf8)).base64))
            #expect(!html.contains(#"<code id="check-computed-root" class="hash">\#(checkpoint.root.base64)</code>"#))
            // A form sends a plus as "%2B" and a space as "+": the page hashes exactly the text typed.
            let big = try PublishedFact(
                kind: .approvedValue, key: "approved-value/T/big",
                fields: ["indicator": "T", "unit": "01", "period": "2026", "value": "1e+20"])
            _ = try await log.store.database.transaction { db in try await log.store.log.append(big, in: db) }
            try await log.checkpointer.checkpointIfNeeded()
            let text = String(decoding: big.canonicalBytes, as: UTF8.self)
            let plus = try await Self.page(log, "/transparency?fact=" + text.formEncoded)
            #expect(plus.html.contains(#"data-verdict="verified""#), "the key is read from the fact itself")
            // Text that is not a fact in canonical form is flagged as such.
            let loose = try await Self.page(log, "/transparency?key=approved-value%2FT%2F2&fact=%7B+%22v%22%3A+1+%7D")
            #expect(loose.html.contains(#"data-verdict="not-verified""#) && loose.html.contains("dạng chuẩn"))
        }
    }

    @Test func badInputGetsAMessageNamingTheField() async throws {
        try await TransparencyLogTests.withLog { log in
            try await log.publish(2)
            try await log.checkpointer.checkpointIfNeeded()
            let unknown = try await Self.page(log, "/transparency?key=approved-value%2FNOPE&lang=en")
            #expect(unknown.status == .notFound)
            #expect(
                unknown.html.contains(
                    "key: no published fact has the key “approved-value/NOPE”. Copy the key from the list below"))
            #expect(unknown.html.contains(#"<div id="check-error" class="error" role="alert">"#))
            #expect(!unknown.html.contains(#"id="check-result""#))
            let long = try await Self.page(log, "/transparency?key=" + String(repeating: "k", count: 600))
            #expect(long.status == .badRequest && long.html.contains("key: khóa dữ kiện dài tối đa 512 ký tự."))
            let notAFact = try await Self.page(log, "/transparency?fact=hello")
            #expect(notAFact.status == .badRequest && notAFact.html.contains("key: hãy nhập khóa của dữ kiện"))
            // A leaf newer than the latest checkpoint cannot be checked yet.
            try await log.publish(1, from: 2)
            let fresh = try await Self.page(log, "/transparency?key=approved-value%2FT%2F2&lang=en")
            #expect(fresh.status == .conflict && fresh.html.contains("newer than the latest checkpoint"))
        }
    }

    @Test func approvedDemoValuesAreListedWithTheirUnitAndIndicatorNames() async throws {
        try await TransparencyLogTests.withLog(demo: true) { log in
            try await log.checkpointer.checkpointIfNeeded()
            let (status, html) = try await Self.page(log, "/transparency?lang=en")
            #expect(status == .ok)
            // The newest leaves are the demo's published rankings; the newest fact of a unit follows.
            let size = try await log.store.log.size()
            let recent = try await log.store.log.entries(in: (size - 10)..<size).reversed()
            let newest = try #require(
                recent.first { PublishedFact(canonicalBytes: $0.data)?.fields["unit"] != nil })
            let fact = try #require(PublishedFact(canonicalBytes: newest.data))
            let code = try #require(fact.fields["unit"])
            let unit = try #require(try await log.store.units.get(code: code))
            let item = try #require(
                html.components(separatedBy: #"<li data-key=""#).dropFirst().first {
                    $0.hasPrefix(Self.escaped(newest.key))
                })
            #expect(item.contains(Self.escaped(unit.name)))
            #expect(item.contains("illustrative data"))
            // No one's name or e-mail reaches the public page.
            #expect(!html.contains("@demo.mandate.vn"))
        }
    }

    @Test func theCheckScriptIsServedFromTheAppsOwnOrigin() async throws {
        try await TransparencyLogTests.withLog { log in
            try await log.client.execute(uri: "/static/js/transparency.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("javascript") == true)
                #expect(response.text.contains("crypto.subtle.digest"))
            }
            // The page allows only scripts of its own origin, so the script must not be inline.
            try await log.client.execute(uri: "/transparency", method: .get) { response in
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(!response.text.contains("<script>"))
            }
        }
    }
}
