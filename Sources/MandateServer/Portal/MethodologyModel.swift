/// How every published number is computed, and the ranking methods (`methodology.mustache`).
struct MethodologyModel: PageModel {
    struct Method: Sendable {
        let id: String
        let version: Int
        let name: String
        let kind: String
        let href: String
    }

    let methods: [Method]
}
