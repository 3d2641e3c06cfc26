import MandateCore

/// Indicator definitions, their targets and the validation rules over their values.
public protocol IndicatorRepository: Sendable {
    /// Every indicator, by code.
    func list() async throws -> [Indicator]
    /// One indicator by code.
    func get(code: String) async throws -> Indicator?
    /// Inserts or updates indicators (targets replaced) in one transaction.
    func save(_ indicators: [Indicator]) async throws
    /// Every validation rule, by code.
    func rules() async throws -> [ValidationRule]
    /// Inserts or updates rules in one transaction.
    func saveRules(_ rules: [ValidationRule]) async throws
    /// Removes a rule; false if there is none with that code.
    func deleteRule(code: String) async throws -> Bool
}
