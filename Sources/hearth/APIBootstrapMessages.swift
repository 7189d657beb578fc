import API
import ArgumentParser
import Foundation

extension AdminBootstrap.Outcome {
    /// The one time a generated password is shown: on the terminal of the
    /// person starting the server (`serve`, or `run` with the dashboard), not in the log.
    func announce() {
        switch self {
        case .existing:
            break
        case .fromEnvironment(let email):
            print("administrator \(email) created from HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD")
        case .generated(let email, let password):
            print("""
                administrator created: \(email)
                password (shown once; change it with PATCH /users/me): \(password)
                """)
        }
        fflush(nil)
    }
}

extension InitialAdmin {
    /// HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD, both or neither (then a
    /// password is generated and shown once); one alone is bad input (exit 2).
    static func fromEnvironment(_ environment: [String: String]) throws -> InitialAdmin? {
        let email = environment["HEARTH_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 }
        let password = environment["HEARTH_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if (email == nil) != (password == nil) {
            printError("set both HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD, or neither (a random password is then printed once)")
            throw ExitCode.badInput
        }
        return email.map { InitialAdmin(email: $0, password: password!) }
    }
}
