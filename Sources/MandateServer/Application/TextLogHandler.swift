import Foundation
import Logging
import MandateCore

/// Writes one line per log event to standard error: time, level, label, message, then the
/// metadata as `key=value` in key order. The message and every value go through `LogText`, so a
/// value that holds a line break or a quote stays inside its own field of its own line.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    /// A handler writing to `write` (standard error when not given).
    public init(label: String, write: @escaping @Sendable (String) -> Void = TextLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(Timestamp.string(Date())) \(event.level.rawValue) \(LogText.escaped(label)): "
        line += LogText.escaped(event.message.description)
        let fields = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        for key in fields.keys.sorted() {
            line += " \(LogText.field(key))=\(LogText.field(fields[key]?.description ?? ""))"
        }
        if let error = event.error { line += " error=\(LogText.field("\(error)"))" }
        write(line + "\n")
    }
}
