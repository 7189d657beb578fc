@testable import API
import Hummingbird
import Testing

extension APITests {
    /// `/houses/{id}/users`: linking users to a house as owners or residents.
    @Suite("House members")
    struct HouseMembersTests {
        @Test("an owner links a user by e-mail, changes the link, ends it, and removes it")
        func lifecycle() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let added = try await api.send(.post, "/houses/5/users", as: alice, json: #"{"email":"BOB@example.com","start_date":"2025-01-01"}"#)
                #expect(added.status == .created)
                #expect(added.headers[.location] == "/houses/5/users/2")
                #expect(added.json["role"].string == "resident")
                #expect(added.json["start_date"].string == "2025-01-01")
                #expect(added.json["end_date"].isNull)
                #expect(added.json["active"].bool == true)
                #expect(try await api.send(.get, "/houses/5/data", as: .user(TestAPI.Seeded.bob)).status == .ok)

                let ended = try await api.send(.patch, "/houses/5/users/2", as: alice, json: #"{"end_date":"2025-02-01"}"#)
                #expect(ended.json["end_date"].string == "2025-02-01")
                #expect(ended.json["active"].bool == false)
                #expect(try await api.send(.get, "/houses/5/data", as: .user(TestAPI.Seeded.bob)).status == .notFound)

                let reopened = try await api.send(.patch, "/houses/5/users/2", as: alice, json: #"{"end_date":null,"role":"owner"}"#)
                #expect(reopened.json["end_date"].isNull)
                #expect(reopened.json["role"].string == "owner")
                #expect(try await api.send(.get, "/houses/5/users/2", as: alice).json["active"].bool == true)

                #expect(try await api.send(.delete, "/houses/5/users/2", as: alice).status == .noContent)
                #expect(try await api.send(.get, "/houses/5/users/2", as: alice).status == .notFound)
                #expect(try await api.send(.delete, "/houses/5/users/2", as: alice).status == .notFound)
                #expect(try await api.send(.patch, "/houses/5/users/2", as: alice, json: #"{"role":"owner"}"#).status == .notFound)
            }
        }

        @Test("the member list shows past and present links with the users' names")
        func listing() async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.get, "/houses/5/users", as: .user(TestAPI.Seeded.alice))
                let items = reply.json["items"].array
                #expect(items.compactMap { $0["user_id"].int } == [1, 3])
                #expect(items[1]["email"].string == "carol@example.com")
                #expect(items[1]["end_date"].string == "2024-06-30")
                #expect(items[1]["active"].bool == false)
            }
        }

        @Test("linking twice is 409; an unknown user is 422; an end before the start is 422", arguments: [
            (#"{"user_id":2}"#, 409, "user_id"),
            (#"{"user_id":999}"#, 422, "user_id"),
            (#"{"email":"nobody@example.com"}"#, 422, "email"),
            (#"{"user_id":3,"start_date":"2025-05-01","end_date":"2025-04-01"}"#, 422, "end_date"),
            (#"{"user_id":3,"start_date":"2025-02-30"}"#, 422, "start_date"),
            (#"{"user_id":3,"role":"landlord"}"#, 422, "role"),
            (#"{"user_id":3,"email":"carol@example.com"}"#, 422, "email"),
            (#"{}"#, 422, "user_id"),
        ])
        func invalidLinks(body: String, status: Int, field: String) async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.post, "/houses/1/users", as: .user(TestAPI.Seeded.alice), json: body)
                #expect(reply.status.code == status, "\(reply)")
                #expect(reply.errorField == field)
            }
        }

        @Test("a PATCH that would end a link before its start is 422 on end_date; an empty PATCH is 422")
        func invalidPatches() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let backwards = try await api.send(.patch, "/houses/1/users/2", as: alice, json: #"{"end_date":"2020-01-01"}"#)
                #expect(backwards.status == .unprocessableContent)
                #expect(backwards.errorField == "end_date")
                #expect(try await api.send(.patch, "/houses/1/users/2", as: alice, json: "{}").errorField == "body")
            }
        }

        @Test("residents may not see or change the member list (403); strangers get 404")
        func permissions() async throws {
            try await TestAPI.run { api throws in
                let bob = Credential.user(TestAPI.Seeded.bob)
                #expect(try await api.send(.get, "/houses/1/users", as: bob).status == .forbidden)
                #expect(try await api.send(.post, "/houses/1/users", as: bob, json: #"{"user_id":3}"#).status == .forbidden)
                #expect(try await api.send(.get, "/houses/1/users/2", as: bob).status == .forbidden)
                #expect(try await api.send(.patch, "/houses/1/users/2", as: bob, json: #"{"role":"owner"}"#).status == .forbidden)
                #expect(try await api.send(.delete, "/houses/1/users/2", as: bob).status == .forbidden)
                #expect(try await api.send(.get, "/houses/1/users", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.send(.get, "/houses/1/users", as: .user(TestAPI.Seeded.dana)).status == .ok)
            }
        }
    }
}
