@testable import API
import Foundation
import Hummingbird
import Testing

extension APITests {
    /// The first administrator: from the environment's settings, or a random
    /// password shown once; never a default.
    @Suite("First administrator")
    struct BootstrapTests {
        @Test("on an empty database a random password is generated for admin@localhost, and it works")
        func generated() async throws {
            try await TestAPI.run(seed: false) { api throws in
                guard case .generated(let email, let password) = api.services.adminBootstrap else {
                    Issue.record("expected a generated administrator, got \(api.services.adminBootstrap)")
                    return
                }
                #expect(email == "admin@localhost")
                #expect(password.count == 24)
                let me = try await api.send(.get, "/users/me", as: .basic(email: email, password: password))
                #expect(me.json["role"].string == "admin")
                let restarted = try await AdminBootstrap.run(api.services.database, passwords: api.services.passwords, initial: nil)
                #expect(restarted == .existing)
            }
        }

        @Test("HEARTH_ADMIN_EMAIL and HEARTH_ADMIN_PASSWORD create the administrator; a seeded, locked admin does not count")
        func fromSettings() async throws {
            let initial = InitialAdmin(email: "root@example.com", password: "root password 1")
            #expect(!"\(initial)".contains("root password 1"))
            try await TestAPI.run(seed: false, configure: { $0.initialAdmin = initial }) { api throws in
                #expect(api.services.adminBootstrap == .fromEnvironment(email: "root@example.com"))
                let token = try await api.send(.post, "/auth/token", json: #"{"username":"root@example.com","password":"root password 1"}"#)
                #expect(token.status == .ok)
            }
        }

        @Test("unusable administrator settings stop the start with a message naming the variable")
        func badSettings() async throws {
            let initial = InitialAdmin(email: "root@example.com", password: "short")
            await #expect(throws: AdminBootstrapError.self) {
                try await TestAPI.run(seed: false, configure: { $0.initialAdmin = initial }) { _ throws in }
            }
        }
    }
}
