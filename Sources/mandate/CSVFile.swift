import ArgumentParser
import Foundation
import MandateCore

/// A CSV file an operator names on the command line: read whole, as UTF-8 text (`CSVReader.text`).
enum CSVFile {
    /// The file's text; a file that cannot be read is a usage error, one that is not text a
    /// refusal with its line.
    static func text(of file: String) throws -> String {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        return try CSVReader.text([UInt8](bytes))
    }
}
