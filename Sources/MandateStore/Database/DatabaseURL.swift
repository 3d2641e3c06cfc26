import MandateCore

/// Where the data lives: `sqlite:PATH`, `sqlite::memory:` or `postgres://user:password@host:port/database`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresLocation)

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// `require`, `prefer` or `disable`, from `?sslmode=`.
        public var tls: String
    }

    public static let `default` = DatabaseURL.sqliteFile(path: "mandate.sqlite")

    public init(parsing text: String) throws(ValidationFailure) {
        if text == "sqlite::memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw ValidationFailure(field: "database", reason: "sqlite: needs a path") }
            self = .sqliteFile(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try Self.parsePostgres(text))
        } else {
            throw ValidationFailure(
                field: "database", reason: "expected sqlite:PATH, sqlite::memory: or postgres://user@host/database")
        }
    }

    private static func parsePostgres(_ text: String) throws(ValidationFailure) -> PostgresLocation {
        let rest = text.split(separator: "://", maxSplits: 1)[1]
        let (main, query) = split(String(rest), at: "?", fromEnd: false)
        let (authority, path) = split(main, at: "/", fromEnd: false)
        let (credentials, hostPort) =
            authority.contains("@") ? split(authority, at: "@", fromEnd: true) : ("", authority)
        let (user, password) = split(credentials, at: ":", fromEnd: false)
        let (host, portText) = split(hostPort, at: ":", fromEnd: true)
        guard !host.isEmpty else {
            throw ValidationFailure(field: "database", reason: "the PostgreSQL URL has no host")
        }
        let port = portText.isEmpty ? 5432 : Int(portText)
        guard let port, (1...65535).contains(port) else {
            throw ValidationFailure(field: "database", reason: "the PostgreSQL port \"\(portText)\" is not valid")
        }
        guard !path.isEmpty else {
            throw ValidationFailure(field: "database", reason: "the PostgreSQL URL names no database")
        }
        var tls = "prefer"
        for pair in query.split(separator: "&") where pair.hasPrefix("sslmode=") {
            tls = String(pair.dropFirst("sslmode=".count))
        }
        return PostgresLocation(
            host: host, port: port,
            username: user.removingPercentEncodingSafely.isEmpty ? "postgres" : user.removingPercentEncodingSafely,
            password: password.isEmpty ? nil : password.removingPercentEncodingSafely, database: path, tls: tls)
    }

    private static func split(_ text: String, at separator: Character, fromEnd: Bool) -> (String, String) {
        guard let index = fromEnd ? text.lastIndex(of: separator) : text.firstIndex(of: separator) else {
            return (text, "")
        }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        // The password never appears in logs.
        case .postgres(let location):
            "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)"
        }
    }
}

extension String {
    fileprivate var removingPercentEncodingSafely: String {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
