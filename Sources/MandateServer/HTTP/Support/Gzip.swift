import CompressNIO
import HTTPTypes
import Hummingbird
import MandateCore
import NIOCore

/// gzip (RFC 1952) through zlib, for the answers `ContentCoding` sends compressed.
final class GzipStream {
    /// zlib's default: within a few per cent of its best on pages and JSON, at a third of its cost.
    static let level: Int32 = 6

    private let compressor: ZlibCompressor

    init() throws {
        compressor = try ZlibCompressor(
            algorithm: .gzip, configuration: .init(windowSize: 15, compressionLevel: Self.level, memoryLevel: 8))
    }

    /// A whole body, compressed at once.
    static func compress(_ body: ByteBuffer) throws -> ByteBuffer {
        var output = ByteBuffer()
        for part in try GzipStream().compress(body, finish: true) {
            var part = part
            output.writeBuffer(&part)
        }
        return output
    }

    /// Compresses `input` into the stream and returns what zlib gives out so far; `finish` ends the
    /// stream (its trailer included) and leaves nothing behind.
    func compress(_ input: ByteBuffer, finish: Bool) throws -> [ByteBuffer] {
        var input = input
        var parts: [ByteBuffer] = []
        let flush: CompressNIOFlush = finish ? .finish : .no
        // zlib's bound for the input in one call, at least 4 KB.
        let size = max(4096, compressor.maxSize(from: input))
        while true {
            var part = ByteBufferAllocator().buffer(capacity: size)
            var more: Bool
            do {
                try compressor.deflate(from: &input, to: &part, flush: flush)
                // Without finishing, a full buffer may leave output behind.
                more = !finish && part.writableBytes == 0
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Finishing: the stream has not ended yet. Otherwise zlib could make no progress,
                // which means it is done unless the buffer filled or input is left.
                more = finish || part.writableBytes == 0 || input.readableBytes > 0
            }
            if part.readableBytes > 0 { parts.append(part) }
            if !more { return parts }
        }
    }
}

extension GzipStream {
    /// Marks the fields of an answer sent compressed: `Content-Encoding`, its new length, the ETag
    /// made weak (the same content, other bytes: RFC 9110, section 8.8.1), and `Vary`. `length` is
    /// nil for a streamed answer.
    static func markCompressed(_ fields: inout HTTPFields, length: Int?) {
        fields[.contentEncoding] = ContentCoding.gzip.rawValue
        fields[.contentLength] = length.map(String.init)
        if let etag = fields[.eTag], !etag.hasPrefix("W/") { fields[.eTag] = "W/" + etag }
        markVaries(&fields)
    }

    /// An answer that could have been sent compressed says that it depends on `Accept-Encoding`.
    static func markVaries(_ fields: inout HTTPFields) {
        if let vary = fields[.vary] {
            if !vary.lowercased().contains("accept-encoding") { fields[.vary] = vary + ", Accept-Encoding" }
        } else {
            fields[.vary] = "Accept-Encoding"
        }
    }
}

/// Compresses a streamed body as it is written.
struct GzipBodyWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let stream: GzipStream

    mutating func write(_ buffer: ByteBuffer) async throws {
        let parts = try stream.compress(buffer, finish: false)
        if !parts.isEmpty { try await parent.write(contentsOf: parts) }
    }

    mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { try await write(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        let parts = try stream.compress(ByteBuffer(), finish: true)
        if !parts.isEmpty { try await parent.write(contentsOf: parts) }
        try await parent.finish(trailingHeaders)
    }
}
