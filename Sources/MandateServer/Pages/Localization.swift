import Foundation

/// A language the pages are offered in; Vietnamese is the default.
public enum Language: String, Sendable, CaseIterable {
    case vi
    case en

    /// The other language, for the switch link.
    var other: Language { self == .vi ? .en : .vi }
}

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
