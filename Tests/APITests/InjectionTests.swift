@testable import API
import Foundation
import Hummingbird
import Testing

extension APITests {
    /// SQL in every text field is data: stored and returned literally, with
    /// every table intact, because every statement binds its values.
    @Suite("SQL injection")
    struct InjectionTests {
        static let payloads = [
            "'; DROP TABLE users; --",
            "Robert'); DROP TABLE houses;--",
            "\" OR \"1\"=\"1",
            "1' OR '1'='1' /*",
            "$1 $2 \\x00 %s %n",
            "'); SELECT pg_sleep(10); --",
            "\\'; DELETE FROM appliances WHERE ''='",
            "ü名前 '' \"\" `backticks`",
        ]

        /// A payload as a JSON string literal.
        static func json(_ text: String) throws -> String {
            String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
        }

        @Test("names, addresses and types are stored literally", arguments: payloads)
        func freeText(_ payload: String) async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let text = try Self.json(payload)
                let house = try await api.send(.post, "/houses", as: alice, json: #"{"name":\#(text),"address":\#(text)}"#)
                #expect(house.status == .created)
                let houseID = try #require(house.json["id"].int)
                #expect(try await api.send(.get, "/houses/\(houseID)", as: alice).json["address"].string == payload)
                let appliance = try await api.send(.post, "/appliances", as: alice, json: #"{"house_id":\#(houseID),"name":\#(text),"type":\#(text)}"#)
                #expect(appliance.json["type"].string == payload)
                let sensor = try await api.send(.post, "/sensors", as: alice, json: #"{"house_id":\#(houseID),"kind":"leak","name":\#(text)}"#)
                #expect(sensor.json["name"].string == payload)
                let renamed = try await api.send(.patch, "/users/me", as: alice, json: #"{"name":\#(text)}"#)
                #expect(renamed.json["name"].string == payload)
                #expect(try await api.scalar(String.self, "SELECT name FROM houses WHERE id = \(houseID)") == payload)
                #expect(try await api.scalar(String.self, "SELECT name FROM users WHERE id = 1") == payload)
                try await Self.expectTablesIntact(api)
            }
        }

        @Test("e-mail addresses and passwords are data too", arguments: [
            "o'brien@example.com", "x';DROP--TABLE--users;'@example.com", #"a"OR"1"="1@example.com"#, "admin'--@example.com",
        ])
        func credentials(_ email: String) async throws {
            try await TestAPI.run { api throws in
                let password = "'; DROP TABLE users; --"
                let body = #"{"email":\#(try Self.json(email)),"password":\#(try Self.json(password)),"name":\#(try Self.json(email))}"#
                let created = try await api.send(.post, "/users", as: .user(TestAPI.Seeded.dana), json: body)
                #expect(created.status == .created, "\(created)")
                #expect(created.json["email"].string == email)
                let token = try await api.send(.post, "/auth/token", json: #"{"username":\#(try Self.json(email)),"password":\#(try Self.json(password))}"#)
                #expect(token.status == .ok)
                #expect(try await api.send(.get, "/users/me", as: .basic(email: email, password: password)).json["email"].string == email)
                // The same string as a login for someone else finds nobody.
                let probe = try await api.send(.post, "/auth/token", json: #"{"username":"alice@example.com' --","password":"x"}"#)
                #expect(probe.status == .unauthorized)
                let member = try await api.send(.post, "/houses/1/users", as: .user(TestAPI.Seeded.alice), json: #"{"email":\#(try Self.json(email))}"#)
                #expect(member.status == .created)
                try await Self.expectTablesIntact(api)
            }
        }

        static func expectTablesIntact(_ api: TestAPI) async throws {
            #expect(try await api.scalar(Int.self, "SELECT count(*) FROM users") ?? 0 >= 4)
            #expect(try await api.scalar(Int.self, "SELECT count(*) FROM houses") ?? 0 >= 3)
            #expect(try await api.scalar(Int.self, "SELECT count(*) FROM appliances") ?? 0 >= 5)
        }
    }
}
