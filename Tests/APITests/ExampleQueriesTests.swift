@testable import API
import Hummingbird
import Testing

extension APITests {
    /// The original system's two example queries, on its example estate.
    @Suite("The original's example queries")
    struct ExampleQueriesTests {
        @Test("user 1 has houses 1 and 5, with their addresses and the user's role")
        func housesOfUser() async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.get, "/users/1/houses", as: .user(TestAPI.Seeded.alice))
                #expect(reply.status == .ok)
                let houses = reply.json["items"].array
                #expect(houses.compactMap { $0["id"].int } == [1, 5])
                #expect(houses.compactMap { $0["address"].string } == ["1 Maple Lane", "5 Shore Road"])
                #expect(houses.allSatisfy { $0["role"].string == "owner" })
                #expect(houses[0]["start_date"].string == "2020-03-01")
                let asAdmin = try await api.send(.get, "/users/1/houses", as: .user(TestAPI.Seeded.dana))
                #expect(asAdmin.json == reply.json)
            }
        }

        @Test("the appliances of user 1 span both houses, joined with the house and the user's role in it")
        func appliancesOfUser() async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.get, "/users/1/appliances", as: .user(TestAPI.Seeded.alice))
                let appliances = reply.json["items"].array
                #expect(appliances.compactMap { $0["id"].int } == [1, 2, 3, 4])
                #expect(Set(appliances.compactMap { $0["house_id"].int }) == [1, 5])
                #expect(appliances[0]["house_name"].string == "Maple Cottage")
                #expect(appliances[2]["house_address"].string == "5 Shore Road")
                #expect(appliances.allSatisfy { $0["role"].string == "owner" })
                #expect(appliances[3]["name"].string == "Washing machine")
            }
        }

        @Test("an administrator sees a resident's appliances with the resident role; the resident sees none to manage")
        func residentAppliances() async throws {
            try await TestAPI.run { api throws in
                let asAdmin = try await api.send(.get, "/users/2/appliances", as: .user(TestAPI.Seeded.dana)).json["items"].array
                #expect(asAdmin.compactMap { $0["id"].int } == [1, 2])
                #expect(asAdmin.allSatisfy { $0["role"].string == "resident" })
                #expect(try await api.send(.get, "/users/2/appliances", as: .user(TestAPI.Seeded.bob)).json["items"].array.isEmpty)
                let houses = try await api.send(.get, "/users/2/houses", as: .user(TestAPI.Seeded.bob)).json["items"].array
                #expect(houses.compactMap { $0["role"].string } == ["resident"])
                #expect(try await api.send(.get, "/users/999/appliances", as: .user(TestAPI.Seeded.dana)).status == .notFound)
            }
        }
    }
}
