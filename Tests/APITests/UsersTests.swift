@testable import API
import Hummingbird
import Testing

extension APITests {
    /// `/users`, `/users/me`: administrators manage accounts; everyone manages their own.
    @Suite("Users")
    struct UsersTests {
        @Test("an administrator creates, reads, lists, updates and deletes a user")
        func crud() async throws {
            try await TestAPI.run { api throws in
                let dana = Credential.user(TestAPI.Seeded.dana)
                let created = try await api.send(.post, "/users", as: dana, json: #"{"email":"erin@example.com","password":"erin's secret","name":"Erin"}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].int)
                #expect(created.headers[.location] == "/users/\(id)")
                #expect(created.json["role"].string == "user")
                #expect(created.json.keys == ["id", "email", "name", "role", "created_at"])

                #expect(try await api.send(.get, "/users/\(id)", as: dana).json["email"].string == "erin@example.com")
                let page = try await api.send(.get, "/users?limit=2", as: dana)
                #expect(page.json["items"].array.compactMap { $0["id"].int } == [1, 2])
                #expect(page.json["next_offset"].int == 2)
                let last = try await api.send(.get, "/users?limit=2&offset=4", as: dana)
                #expect(last.json["items"].array.compactMap { $0["id"].int } == [id])
                #expect(last.json["next_offset"].isNull)

                let patched = try await api.send(.patch, "/users/\(id)", as: dana, json: #"{"name":"Erin E."}"#)
                #expect(patched.status == .ok)
                #expect(patched.json["name"].string == "Erin E.")
                #expect(patched.json["email"].string == "erin@example.com")

                #expect(try await api.send(.delete, "/users/\(id)", as: dana).status == .noContent)
                #expect(try await api.send(.get, "/users/\(id)", as: dana).status == .notFound)
                #expect(try await api.send(.delete, "/users/\(id)", as: dana).status == .notFound)
                #expect(try await api.send(.patch, "/users/\(id)", as: dana, json: #"{"name":"x"}"#).status == .notFound)
            }
        }

        @Test("a new user logs in with the password given, which is stored as bcrypt and never shown")
        func passwordHandling() async throws {
            try await TestAPI.run { api throws in
                let created = try await api.send(.post, "/users", as: .user(TestAPI.Seeded.dana), json: #"{"email":"erin@example.com","password":"erin's secret"}"#)
                #expect(!created.text.contains("erin's secret"))
                #expect(!created.text.contains("password"))
                let hash = try #require(try await api.scalar(String.self, "SELECT password_hash FROM users WHERE email = 'erin@example.com'"))
                #expect(hash.hasPrefix("$2"))
                #expect(try await api.send(.get, "/users/me", as: .basic(email: "erin@example.com", password: "erin's secret")).status == .ok)
                let listing = try await api.send(.get, "/users", as: .user(TestAPI.Seeded.dana))
                #expect(!listing.text.contains("$2"))
            }
        }

        @Test("a duplicate e-mail, in any case, is 409 on email")
        func duplicateEmail() async throws {
            try await TestAPI.run { api throws in
                let dana = Credential.user(TestAPI.Seeded.dana)
                let reply = try await api.send(.post, "/users", as: dana, json: #"{"email":"ALICE@example.com","password":"long enough"}"#)
                #expect(reply.status == .conflict)
                #expect(reply.errorField == "email")
                let patch = try await api.send(.patch, "/users/2", as: dana, json: #"{"email":"carol@example.com"}"#)
                #expect(patch.status == .conflict)
            }
        }

        @Test("a body that fails validation is 422 naming the field", arguments: [
            (#"{"password":"long enough"}"#, "email"),
            (#"{"email":"not-an-address","password":"long enough"}"#, "email"),
            (#"{"email":"a b@example.com","password":"long enough"}"#, "email"),
            (#"{"email":"x@example.com","password":"short"}"#, "password"),
            (#"{"email":"x@example.com","password":"\#(String(repeating: "p", count: 73))"}"#, "password"),
            (#"{"email":"x@example.com","password":"long enough","role":"root"}"#, "role"),
            (#"{"email":"x@example.com","password":"long enough","nickname":"x"}"#, "nickname"),
            (#"{"email":42,"password":"long enough"}"#, "email"),
            (#"{"email":"x@example.com","password":"long enough","name":"\#(String(repeating: "n", count: 201))"}"#, "name"),
        ])
        func invalidCreate(body: String, field: String) async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.post, "/users", as: .user(TestAPI.Seeded.dana), json: body)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.errorField == field)
            }
        }

        @Test("an empty PATCH is 422; null for a required field is 422")
        func invalidPatch() async throws {
            try await TestAPI.run { api throws in
                let dana = Credential.user(TestAPI.Seeded.dana)
                let empty = try await api.send(.patch, "/users/2", as: dana, json: "{}")
                #expect(empty.status == .unprocessableContent)
                #expect(empty.errorField == "body")
                let null = try await api.send(.patch, "/users/2", as: dana, json: #"{"email":null}"#)
                #expect(null.status == .unprocessableContent)
                #expect(null.errorField == "email")
                #expect(try await api.send(.patch, "/users/me", as: dana, json: "{}").status == .unprocessableContent)
            }
        }

        @Test("users who are not administrators get 403 from every /users route but their own")
        func nonAdminsForbidden() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                #expect(try await api.send(.get, "/users", as: alice).status == .forbidden)
                #expect(try await api.send(.post, "/users", as: alice, json: #"{"email":"x@example.com","password":"long enough"}"#).status == .forbidden)
                #expect(try await api.send(.get, "/users/2", as: alice).status == .forbidden)
                #expect(try await api.send(.patch, "/users/2", as: alice, json: #"{"name":"x"}"#).status == .forbidden)
                #expect(try await api.send(.delete, "/users/2", as: alice).status == .forbidden)
                #expect(try await api.send(.get, "/users/2/houses", as: alice).status == .forbidden)
                #expect(try await api.send(.get, "/users/2/appliances", as: alice).status == .forbidden)
                #expect(try await api.send(.get, "/users/1/houses", as: alice).status == .ok)
                // An invalid body does not turn a 403 into a 422.
                #expect(try await api.send(.post, "/users", as: alice, json: "{}").status == .forbidden)
            }
        }

        @Test("every /users route is 401 without credentials", arguments: [
            ("GET", "/users"), ("POST", "/users"), ("GET", "/users/me"), ("PATCH", "/users/me"), ("GET", "/users/1"),
            ("PATCH", "/users/1"), ("DELETE", "/users/1"), ("GET", "/users/1/houses"), ("GET", "/users/1/appliances"),
        ])
        func unauthenticated(method: String, path: String) async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(HTTPRequest.Method(method)!, path, json: #"{"name":"x"}"#)
                #expect(reply.status == .unauthorized)
                #expect(!reply.headers[values: .wwwAuthenticate].isEmpty)
            }
        }

        @Test("a user reads and changes their own account, but not their role")
        func me() async throws {
            try await TestAPI.run { api throws in
                let bob = Credential.user(TestAPI.Seeded.bob)
                #expect(try await api.send(.get, "/users/me", as: bob).json["email"].string == "bob@example.com")
                let renamed = try await api.send(.patch, "/users/me", as: bob, json: #"{"name":"Robert","password":"a new password"}"#)
                #expect(renamed.json["name"].string == "Robert")
                #expect(try await api.send(.get, "/users/me", as: .basic(email: "bob@example.com", password: "a new password")).status == .ok)
                #expect(try await api.send(.get, "/users/me", as: .basic(email: "bob@example.com", password: TestAPI.password)).status == .unauthorized)
                #expect(try await api.send(.patch, "/users/me", as: bob, json: #"{"role":"admin"}"#).status == .forbidden)
                #expect(try await api.scalar(String.self, "SELECT role FROM users WHERE id = 2") == "user")
            }
        }

        @Test("deleting a user removes their links; their houses stay, without a key owner")
        func deleteRemovesLinks() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.delete, "/users/1", as: .user(TestAPI.Seeded.dana)).status == .noContent)
                #expect(try await api.scalar(Int.self, "SELECT count(*) FROM house_users WHERE user_id = 1") == 0)
                #expect(try await api.scalar(Int.self, "SELECT count(*) FROM houses WHERE id IN (1, 5) AND owner_id IS NULL") == 2)
                #expect(try await api.send(.get, "/houses/1", as: .user(TestAPI.Seeded.dana)).status == .ok)
            }
        }

        @Test("the last administrator can be neither deleted nor demoted")
        func lastAdministrator() async throws {
            try await TestAPI.run { api throws in
                let dana = Credential.user(TestAPI.Seeded.dana)
                #expect(try await api.send(.delete, "/users/4", as: dana).status == .conflict)
                #expect(try await api.send(.patch, "/users/4", as: dana, json: #"{"role":"user"}"#).status == .conflict)
                #expect(try await api.send(.patch, "/users/1", as: dana, json: #"{"role":"admin"}"#).json["role"].string == "admin")
                #expect(try await api.send(.delete, "/users/4", as: dana).status == .noContent)
            }
        }

        @Test("a malformed or unknown id is 404", arguments: ["/users/0", "/users/abc", "/users/999999", "/users/-1"])
        func unknownIDs(path: String) async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.get, path, as: .user(TestAPI.Seeded.dana)).status == .notFound)
            }
        }
    }
}
