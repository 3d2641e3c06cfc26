import ArgumentParser
import Foundation
import MandateCore
import MandateServer
import MandateStore

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account; the password is read from standard input.")

        @Option(help: "The code of the user's unit, e.g. BCD, BKHCN, 01.") var unit: String
        @Option(help: "admin, committee_analyst, unit_head, unit_reporter or viewer.") var role: String
        @Option(help: "The e-mail address the user signs in with.") var email: String
        @Option(help: "The name shown in the pages (default: the e-mail).") var name: String?
        @Option(help: "bcrypt cost (at least 10).") var bcryptCost: UInt8 = 12
        @OptionGroup var databaseOptions: DatabaseOptions

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError(
                    "unknown role \"\(role)\"; expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        func run() async throws {
            let password = Self.readPassword()
            guard let role = Role(rawValue: role) else { throw ExitCode.validationFailure }
            do {
                let user = try await databaseOptions.withStore { [unit, email, name, bcryptCost] store in
                    try await AccountService(
                        accounts: store.accounts, settings: store.settings, hasher: PasswordHasher(cost: bcryptCost),
                        clock: store.clock
                    )
                    .createUser(email: email, displayName: name, unitCode: unit, role: role, password: password)
                }
                print("Added \(user.email) (\(user.role.rawValue) of \(user.unitCode)), id \(user.id).")
            } catch let failure as ValidationFailure {
                throw ValidationError(failure.description)
            }
        }

        /// The first line of standard input; at a terminal, asked for without echo.
        static func readPassword() -> String {
            if isatty(STDIN_FILENO) == 1, let pointer = getpass("Password: ") {
                return String(cString: pointer)
            }
            return readLine(strippingNewline: true) ?? ""
        }
    }
}
