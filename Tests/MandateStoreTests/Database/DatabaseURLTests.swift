import MandateStore
import Testing

@Suite struct DatabaseURLTests {
    @Test func parsesEverySupportedForm() throws {
        #expect(try DatabaseURL(parsing: "sqlite:mandate.sqlite") == .sqliteFile(path: "mandate.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/m.sqlite") == .sqliteFile(path: "/var/lib/m.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite::memory:") == .sqliteMemory)
        guard
            case .postgres(let location) = try DatabaseURL(
                parsing: "postgres://mandate:p%40ss@db.local:6543/national?sslmode=require")
        else {
            Issue.record("not postgres")
            return
        }
        #expect(location.host == "db.local" && location.port == 6543 && location.username == "mandate")
        #expect(location.password == "p@ss" && location.database == "national" && location.tls == "require")
    }

    @Test(arguments: ["mysql://x/y", "sqlite:", "postgres://host:99999/db", "postgres://host:5432", "postgres:///db"])
    func refusesWhatItCannotOpen(text: String) {
        #expect(throws: (any Error).self) { try DatabaseURL(parsing: text) }
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let url = try DatabaseURL(parsing: "postgres://mandate:secret@127.0.0.1:5432/m")
        #expect(!url.description.contains("secret"))
    }
}
