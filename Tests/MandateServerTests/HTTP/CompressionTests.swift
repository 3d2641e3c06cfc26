import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import NIOCore
import Testing

@testable import MandateServer

/// Answers go compressed to clients that accept gzip (issue 20, point 10), from the router and
/// from the edge alike, and come back to the same bytes.
@Suite struct CompressionTests {
    static let gzip: HTTPFields = [.acceptEncoding: "gzip, deflate, br"]

    static func inflate(_ body: ByteBuffer) throws -> ByteBuffer {
        var body = body
        return try body.decompress(with: .gzip())
    }

    /// What a client that accepts gzip gets is what one that does not gets, compressed: a page, the
    /// same page again (from the edge), and a public JSON answer; the ETag is the weak form of the
    /// identity's, and both say they vary by `Accept-Encoding`.
    @Test func publicAnswersGoCompressedFromTheRouterAndTheEdge() async throws {
        try await EdgeServer.run { server in
            for uri in ["/methodology", "/units", "/api/v1/units?kind=province"] {
                let generation = server.edge.generation
                let plain = try await server.get(uri)
                #expect(plain.status == .ok && plain.headers[.contentEncoding] == nil, "\(uri)")
                #expect(plain.headers[.vary]?.contains("Accept-Encoding") == true, "\(uri)")
                let etag = try #require(plain.headers[.eTag])
                let before = try await server.edgeAnswers()
                for _ in 0..<3 {
                    let packed = try await server.get(uri, Self.gzip)
                    #expect(packed.status == .ok && packed.headers[.contentEncoding] == "gzip", "\(uri)")
                    #expect(packed.headers[.contentLength] == String(packed.body.readableBytes))
                    #expect(packed.body.readableBytes < plain.body.readableBytes)
                    #expect(try Self.inflate(packed.body) == plain.body, "\(uri)")
                    #expect(packed.headers[.eTag] == "W/" + etag)
                    #expect(packed.headers[.vary]?.contains("Accept-Encoding") == true)
                }
                // At least one of them came from the edge, unless a commit dropped it each time.
                let edgeAnswered = try await server.edgeAnswers() > before
                #expect(edgeAnswered || server.edge.changed(.everything, after: generation), "\(uri)")

                // Revalidating the compressed answer names the tag as the client holds it.
                var revalidate = Self.gzip
                revalidate[.ifNoneMatch] = "W/" + etag
                let notModified = try await server.get(uri, revalidate)
                #expect(notModified.status == .notModified && notModified.headers[.eTag] == "W/" + etag, "\(uri)")
                let plainNotModified = try await server.get(uri, [.ifNoneMatch: etag])
                #expect(plainNotModified.status == .notModified && plainNotModified.headers[.eTag] == etag)
            }
        }
    }

    @Test func signedInPagesGoCompressedAndWhatMustNotBeIsNot() async throws {
        try await EdgeServer.run { server in
            let analyst = try await server.client.signIn("analyst@demo.mandate.vn")
            var fields = Self.gzip
            fields[.cookie] = "mandate_session=\(analyst.cookie)"
            let page = try await server.get("/tasks", fields)
            #expect(page.status == .ok && page.headers[.contentEncoding] == "gzip")
            let text = String(buffer: try Self.inflate(page.body))
            #expect(text.contains("</html>"))

            // Refused by weight, asked with HEAD, or too short to gain: as they are.
            let refused = try await server.get("/methodology", [.acceptEncoding: "gzip;q=0, br"])
            #expect(refused.status == .ok && refused.headers[.contentEncoding] == nil)
            // HEAD answers what GET would, without the body: compressed, with the compressed length.
            let got = try await server.get("/methodology", Self.gzip)
            let head = try await server.client.execute(uri: "/methodology", method: .head, headers: Self.gzip) { $0 }
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(
                head.headers[.contentEncoding] == "gzip" && head.headers[.contentLength] == got.headers[.contentLength])
            let plainHead = try await server.client.execute(uri: "/api/v1/units?kind=province", method: .head) { $0 }
            let plainGet = try await server.get("/api/v1/units?kind=province")
            #expect(plainHead.status == .ok && plainHead.body.readableBytes == 0)
            #expect(plainHead.headers[.contentLength] == String(plainGet.body.readableBytes))
            #expect(plainHead.headers[.eTag] == plainGet.headers[.eTag])
            let short = try await server.get("/healthz", Self.gzip)
            #expect(short.status == .ok && short.body.readableBytes < ContentCoding.minimumLength)
            #expect(short.headers[.contentEncoding] == nil)
        }
    }

    /// A body of unknown length (a live stream aside) is compressed as it is written, and a live
    /// event stream never is: each event must reach the reader as it is sent.
    @Test func aStreamedBodyIsCompressedAsItIsWrittenAndEventsAreNot() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: CompressionMiddleware())
        let rows = (0..<20_000).map { "row \($0),\($0 * 7 % 13)\n" }
        router.get("/export.csv") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                body: ResponseBody { writer in
                    for start in stride(from: 0, to: rows.count, by: 1_000) {
                        try await writer.write(ByteBuffer(string: rows[start..<start + 1_000].joined()))
                    }
                    try await writer.finish(nil)
                })
        }
        // Longer than what is compressed whole: streamed, so no second copy is held.
        let large = String(repeating: "0123456789,abcdefghij\n", count: CompressionMiddleware.wholeBody / 22 + 1)
        router.get("/large.csv") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/csv"], body: .init(byteBuffer: ByteBuffer(string: large)))
        }
        router.get("/events") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: String(repeating: "data: x\n\n", count: 500)))
                    try await writer.finish(nil)
                })
        }
        try await Application(router: router).test(.live) { client in
            try await client.execute(uri: "/export.csv", method: .get, headers: Self.gzip) { response in
                #expect(response.headers[.contentEncoding] == "gzip" && response.headers[.contentLength] == nil)
                let text = String(buffer: try Self.inflate(response.body))
                #expect(text == rows.joined())
            }
            try await client.execute(uri: "/export.csv", method: .get) { response in
                #expect(response.headers[.contentEncoding] == nil && String(buffer: response.body) == rows.joined())
            }
            try await client.execute(uri: "/large.csv", method: .get, headers: Self.gzip) { response in
                #expect(response.headers[.contentEncoding] == "gzip" && response.headers[.contentLength] == nil)
                let text = String(buffer: try Self.inflate(response.body))
                #expect(text.count == large.count && text == large)
            }
            try await client.execute(uri: "/events", method: .get, headers: Self.gzip) { response in
                #expect(response.headers[.contentEncoding] == nil && response.headers[.vary] == nil)
            }
        }
    }

    /// Whatever the sizes of the parts written, the stream inflates to what was written.
    @Test func theStreamInflatesToWhatWasWritten() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let stream = try GzipStream()
            var written = ByteBuffer()
            var compressed = ByteBuffer()
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                // Random bytes do not compress: zlib's output runs past its buffers.
                let count = Int.random(in: 0...100_000, using: &generator)
                let text = Bool.random(using: &generator)
                let bytes = (0..<count).map { text ? UInt8(97 + $0 % 7) : UInt8.random(in: 0...255, using: &generator) }
                written.writeBytes(bytes)
                for var part in try stream.compress(ByteBuffer(bytes: bytes), finish: false) {
                    compressed.writeBuffer(&part)
                }
            }
            for var part in try stream.compress(ByteBuffer(), finish: true) { compressed.writeBuffer(&part) }
            #expect(try Self.inflate(compressed) == written)
            #expect(try Self.inflate(try GzipStream.compress(written)) == written)
        }
    }
}

extension CompressionTests {
    /// The requests that share one render, and a render that gives the bytes of the last, send one
    /// compressed copy: the edge compresses a body once per ETag.
    @Test func aBodyIsCompressedOncePerETag() throws {
        let edge = EdgeCache()
        let page = ByteBuffer(string: String(repeating: "<p>Hà Nội 74,45 %</p>\n", count: 400))
        let first = try edge.compressed(page, etag: "\"a\"")
        let again = try edge.compressed(ByteBuffer(string: String(buffer: page)), etag: "\"a\"")
        #expect(first == again)
        #expect(edge.compressions == 1)
        #expect(try Self.inflate(first) == page)
        let other = ByteBuffer(string: String(repeating: "<p>Đà Nẵng</p>\n", count: 400))
        #expect(try Self.inflate(try edge.compressed(other, etag: "\"b\"")) == other)
        #expect(edge.compressions == 2)
        // A body of another length under a known tag is compressed anew, never mistaken for it.
        let longer = ByteBuffer(string: String(buffer: page) + "x")
        #expect(try Self.inflate(try edge.compressed(longer, etag: "\"a\"")) == longer)
        #expect(edge.compressions == 3)
    }
}
