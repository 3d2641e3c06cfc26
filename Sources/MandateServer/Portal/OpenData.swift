import Foundation
import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// One cell of an open dataset: typed in JSON, plain text in CSV.
enum OpenValue: Encodable, Sendable {
    case text(String)
    case number(Double)
    case integer(Int)
    case flag(Bool)
    case empty

    init(_ text: String?) { self = text.map { .text($0) } ?? .empty }
    init(_ number: Double?) { self = number.map { .number($0) } ?? .empty }
    init(_ integer: Int?) { self = integer.map { .integer($0) } ?? .empty }

    var csv: String {
        switch self {
        case .text(let text): CSVField.text(text)
        case .number(let number): ValueText.format(number)
        case .integer(let integer): String(integer)
        case .flag(let flag): flag ? "true" : "false"
        case .empty: ""
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .integer(let integer): try container.encode(integer)
        case .flag(let flag): try container.encode(flag)
        case .empty: try container.encodeNil()
        }
    }
}

/// A dataset of the open data: its name (the stable file name), its columns and how to read its
/// rows. Its title and what each column means are in the catalogues, under `openData_<name>` and
/// `openData_<name>__<column>` (a `-` in the name written `_`). Every dataset holds public facts
/// only: no person's name, e-mail or account.
struct OpenDataset: Sendable {
    struct Column: Sendable {
        let name: String
        let type: String
    }

    let name: String
    let columns: [Column]
    /// What its rows are made from (see `Response.depending(on:)`).
    let reads: ChangeTags
    let rows: @Sendable (OpenData.Source) async throws -> [[OpenValue]]

    func csv(_ rows: [[OpenValue]]) -> String {
        var text = columns.map(\.name).joined(separator: ",") + "\n"
        for row in rows { text += row.map(\.csv).joined(separator: ",") + "\n" }
        return text
    }

    func json(_ rows: [[OpenValue]]) throws -> Data {
        struct Document: Encodable {
            let dataset: String
            let licence: String
            let dictionary: String
            let columns: [String]
            let rows: [[String: OpenValue]]
        }
        let names = columns.map(\.name)
        let document = Document(
            dataset: name, licence: OpenData.licenceURL, dictionary: "/open-data#\(name)", columns: names,
            rows: rows.map { Dictionary(uniqueKeysWithValues: zip(names, $0)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}

/// The open data: every public number as CSV and JSON at stable URLs (`/open-data/NAME.csv`,
/// `/open-data/NAME.json`), with the data dictionary and the licence on `/open-data`.
enum OpenData {
    /// What the datasets are read from, on the day of the download.
    struct Source: Sendable {
        let store: Store
        /// The task views the pages and the API keep (the delivery measures).
        let views: TaskViewCache
        let today: CivilDate
    }

    static let licenceURL = "https://creativecommons.org/licenses/by/4.0/"

    static func column(_ name: String, _ type: String) -> OpenDataset.Column {
        .init(name: name, type: type)
    }

    static let datasets: [OpenDataset] = [
        units, indicators, values, tasks, delivery, rankings, rankingReproduction, satisfaction,
    ]
}
