import MandateCore
import Testing

@Suite struct ContentCodingTests {
    @Test(
        arguments: [
            (nil, ContentCoding.identity),
            ("", .identity),
            ("gzip", .gzip),
            ("gzip, deflate, br, zstd", .gzip),
            ("GZIP", .gzip),
            ("x-gzip", .gzip),
            ("br;q=1.0, gzip;q=0.8, *;q=0.1", .gzip),
            ("gzip;q=0", .identity),
            ("gzip; q=0.000", .identity),
            ("gzip;q=0.001", .gzip),
            ("*", .gzip),
            ("*;q=0", .identity),
            // A client that names gzip decides for gzip, whatever `*` says.
            ("gzip;q=0, *", .identity),
            ("*;q=0, gzip", .gzip),
            ("identity", .identity),
            ("deflate, br", .identity),
            // A weight that cannot be read is not acceptance.
            ("gzip;q=2", .identity),
            ("gzip;q=abc", .identity),
            ("gzip;q=-1", .identity),
            ("gzip;q=0.5000", .identity),
            ("  gzip  ;  q=0.5 ", .gzip),
        ] as [(String?, ContentCoding)])
    func theCodingFollowsAcceptEncoding(field: String?, expected: ContentCoding) {
        #expect(ContentCoding.chosen(acceptEncoding: field) == expected)
    }

    @Test func textWorthCompressingIsCompressed() {
        let long = ContentCoding.minimumLength
        for type in [
            "text/html; charset=utf-8", "text/csv", "text/css", "text/plain", "application/json",
            "application/problem+json", "application/geo+json", "application/ld+json", "application/xml",
            "application/rdf+xml", "application/javascript", "image/svg+xml", "TEXT/HTML", "text/turtle",
        ] {
            #expect(ContentCoding.compresses(mediaType: type, length: long), "\(type)")
            #expect(ContentCoding.compresses(mediaType: type, length: nil), "\(type), streamed")
            #expect(!ContentCoding.compresses(mediaType: type, length: long - 1), "\(type), short")
        }
        for type in [
            "text/event-stream", "image/png", "application/pdf", "application/zip", "application/octet-stream",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "font/woff2", "json", "",
        ] {
            #expect(!ContentCoding.compresses(mediaType: type, length: 100_000), "\(type)")
        }
        #expect(!ContentCoding.compresses(mediaType: nil, length: 100_000))
    }
}
