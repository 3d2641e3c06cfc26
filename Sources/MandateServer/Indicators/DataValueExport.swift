import Foundation
import MandateCore

/// Values written in the shapes the import reads.
enum DataValueExport {
    /// `indicator,unit,period,value,comment,evidence`, RFC 4180 quoting, the comment and evidence
    /// neutralised for spreadsheets (`CSVField.text`): importing it again changes nothing.
    static func csv(_ values: [DataValue]) -> String {
        var text = DataValueFile.columns.joined(separator: ",") + "\n"
        for value in values {
            text +=
                [value.indicator, value.unit, value.period, ValueText.format(value.value)].map(CSVField.quoted)
                .joined(separator: ",") + "," + CSVField.text(value.comment ?? "") + ","
                + CSVField.text(value.evidence ?? "") + "\n"
        }
        return text
    }

    /// An exported item: the import's shape, plus whether the indicator's data are illustrative.
    struct Item: Encodable {
        let dataElement: String
        let orgUnit: String
        let period: String
        let value: String
        let comment: String?
        let evidence: String?
        let illustrative: Bool?
    }

    static func valueSet(_ values: [DataValue], illustrative: Set<String>) -> [String: [Item]] {
        [
            "dataValues": values.map {
                Item(
                    dataElement: $0.indicator, orgUnit: $0.unit, period: $0.period, value: ValueText.format($0.value),
                    comment: $0.comment, evidence: $0.evidence,
                    illustrative: illustrative.contains($0.indicator) ? true : nil)
            }
        ]
    }
}
