import Foundation
import MandateCore

/// The user-visible strings of the pages, one catalogue per language, loaded once at start.
public struct Catalogues: Sendable {
    let strings: [Language: [String: String]]

    public static func load() throws -> Catalogues {
        var strings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let url = try ServerResources.path("i18n/\(language.rawValue)", "json")
            strings[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return Catalogues(strings: strings)
    }

    /// Every string of one language, for templates (`{{t.key}}`).
    func table(_ language: Language) -> [String: String] {
        strings[language] ?? [:]
    }

    func text(_ key: String, _ language: Language) -> String {
        strings[language]?[key] ?? strings[.vi]?[key] ?? key
    }
}
