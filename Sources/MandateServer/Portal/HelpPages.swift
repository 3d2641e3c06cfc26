import Hummingbird
import MandateCore

/// `/help`: what each kind of user does with the product, in the page's language, one section per
/// role and one for anyone; a signed-in reader is pointed to their role's section.
struct HelpPages {
    let pages: PageRenderer

    /// The sections, in order: their anchor, how many steps each has (`help_<id>_<n>`), and the
    /// pages they point to (path, label key).
    static let sections: [(id: String, steps: Int, links: [(String, String)])] = [
        ("public", 4, [("/", "nav_home"), ("/transparency", "nav_transparency"), ("/open-data", "nav_openData")]),
        ("unit_reporter", 4, [("/work", "nav_work")]),
        ("unit_head", 3, [("/work", "nav_work")]),
        (
            "committee_analyst", 4,
            [("/work", "nav_work"), ("/escalation", "nav_escalation"), ("/rankings", "nav_rankings")]
        ),
        ("admin", 3, [("/account", "help_accountPage")]),
        ("account", 2, [("/account", "help_accountPage")]),
    ]

    func register(on router: Router<AppRequestContext>) {
        router.get("/help", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = PageRequest(request, context, pages)
        let sections = Self.sections.map { section in
            HelpModel.Section(
                id: section.id, title: page.t("help_\(section.id)"),
                steps: (1...section.steps).map { page.t("help_\(section.id)_\($0)") },
                links: section.links.isEmpty
                    ? nil : .init(items: section.links.map { .init(href: $0.0, label: page.t($0.1)) }))
        }
        let role = page.user?.role.rawValue
        let yourRole = role.flatMap { role in
            Self.sections.contains { $0.id == role }
                ? HelpModel.YourRole(anchor: role, label: page.t("help_yourRole", ["role": page.t("role_\(role)")]))
                : nil
        }
        return try page.page(
            .help, title: page.t("help_title"), model: HelpModel(yourRole: yourRole, sections: sections)
        ).depending(on: [.definitions])
    }
}

/// The help page (`help.mustache`).
struct HelpModel: PageModel {
    struct Link: Sendable {
        let href: String
        let label: String
    }
    struct Links: Sendable {
        let items: [Link]
    }
    struct Section: Sendable {
        let id: String
        let title: String
        let steps: [String]
        let links: Links?
    }
    struct YourRole: Sendable {
        let anchor: String
        let label: String
    }

    let yourRole: YourRole?
    let sections: [Section]
}
