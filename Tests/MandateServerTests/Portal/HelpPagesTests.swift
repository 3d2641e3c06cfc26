import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateCore
import Testing

@testable import MandateServer

/// `/help`: a section for anyone and one for each role, in both languages, linked from every page.
@Suite struct HelpPagesTests {
    @Test func theHelpPageHasASectionPerRoleInBothLanguages() async throws {
        try await withApp { client in
            for language in ["vi", "en"] {
                let html = try await client.execute(uri: "/help?lang=\(language)", method: .get) { response in
                    #expect(response.status == .ok)
                    return response.text
                }
                #expect(html.contains(#"<html lang="\#(language)""#))
                for section in HelpPages.sections {
                    #expect(html.contains(#"<section id="\#(section.id)""#), "\(language) \(section.id)")
                    #expect(html.contains(##"<a href="#\##(section.id)">"##), "\(language) \(section.id)")
                }
                let steps = html.components(separatedBy: "<li>").count - 1
                #expect(steps >= HelpPages.sections.reduce(0) { $0 + $1.steps })
                // Every string is found in the language's catalogue: no key shows through.
                #expect(!html.contains("help_") && !html.contains("nav_home"), "\(language)")
                #expect(!html.contains(#"id="help-your-role""#))
            }
            let english = try await client.execute(uri: "/help?lang=en", method: .get) { $0.text }
            let vietnamese = try await client.execute(uri: "/help?lang=vi", method: .get) { $0.text }
            #expect(english.contains("1,234.5") && vietnamese.contains("1.234,5"))
            #expect(vietnamese.contains("Hướng dẫn") && !english.contains("Hướng dẫn"))

            // A signed-in reader is pointed to their role's section; every page links to help.
            let reporter = try await client.signIn("reporter.hanoi@demo.mandate.vn")
            let signedIn = try await client.execute(
                uri: "/help?lang=en", method: .get, headers: [.cookie: "mandate_session=\(reporter.cookie)"]
            ) { $0.text }
            #expect(signedIn.contains(##"<p id="help-your-role" class="notice"><a href="#unit_reporter">"##))
            #expect(signedIn.contains("Help for your role: Unit reporter"))
            for uri in ["/", "/units", "/login"] {
                let page = try await client.execute(uri: uri, method: .get) { $0.text }
                #expect(page.contains(#"<a id="help-link" href="/help">"#), "\(uri)")
            }
        }
    }
}
