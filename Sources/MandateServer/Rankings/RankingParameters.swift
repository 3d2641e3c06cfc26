import Hummingbird
import MandateCore

/// How the rankings' API and pages read method versions, digests and periods from a query, a
/// form or a body, each refusal naming its field.
enum RankingParameters {
    /// A method version named in a body: a whole number from 1.
    static func version(_ value: Int?, field: String) throws -> Int? {
        guard let value else { return nil }
        guard value >= 1 else { throw AppError.badRequest(field: field, "a version is a whole number from 1") }
        return value
    }

    /// A method version named in a form.
    static func version(_ text: String?, field: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else {
            throw AppError.badRequest(field: field, "a version is a whole number from 1")
        }
        return try version(value, field: field)
    }

    /// A method version named in a query.
    static func version(_ parameters: Parameters, _ name: String) throws -> Int? {
        guard parameters[Substring(name)] != nil else { return nil }
        return try UnitsController.integer(parameters, name, default: 1, in: 1...Int(Int32.max))
    }

    /// A digest named in a body or form: a SHA-256 in lowercase hex.
    static func digest(_ text: String?, field: String) throws -> String? {
        guard let text else { return nil }
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw AppError.badRequest(field: field, "a SHA-256 is 64 lowercase hexadecimal digits")
        }
        return text
    }

    static func period(_ text: String, field: String) throws -> Period {
        do {
            return try Period(text)
        } catch {
            throw AppError.badRequest(field: field, error.reason)
        }
    }
}
