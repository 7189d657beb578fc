@testable import API
import Hummingbird
import Testing

extension APITests {
    /// `/appliances`: what is installed in a house.
    @Suite("Appliances")
    struct AppliancesTests {
        @Test("an owner adds, reads, renames and deletes an appliance; its sensors stay, on no appliance")
        func crud() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let created = try await api.send(.post, "/appliances", as: alice, json: #"{"house_id":5,"name":"Dryer","type":"dryer"}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].int)
                #expect(created.headers[.location] == "/appliances/\(id)")
                #expect(created.json["house_id"].int == 5)
                #expect(try await api.send(.get, "/appliances/\(id)", as: alice).json["type"].string == "dryer")
                let renamed = try await api.send(.patch, "/appliances/\(id)", as: alice, json: #"{"name":"Tumble dryer"}"#)
                #expect(renamed.json["name"].string == "Tumble dryer")
                #expect(renamed.json["type"].string == "dryer")
                #expect(try await api.send(.delete, "/appliances/\(id)", as: alice).status == .noContent)
                #expect(try await api.send(.get, "/appliances/\(id)", as: alice).status == .notFound)

                // Appliance 1 carries sensor 1.
                #expect(try await api.send(.delete, "/appliances/1", as: alice).status == .noContent)
                let sensor = try await api.send(.get, "/sensors/1", as: alice)
                #expect(sensor.status == .ok)
                #expect(sensor.json["appliance_id"].isNull)
            }
        }

        @Test("the appliance list shows owners their houses' appliances and administrators all")
        func listing() async throws {
            try await TestAPI.run { api throws in
                func ids(_ user: Int) async throws -> [Int] {
                    try await api.send(.get, "/appliances", as: .user(user)).json["items"].array.compactMap { $0["id"].int }
                }
                #expect(try await ids(TestAPI.Seeded.alice) == [1, 2, 3, 4])
                #expect(try await ids(TestAPI.Seeded.carol) == [5])
                #expect(try await ids(TestAPI.Seeded.bob) == [])
                #expect(try await ids(TestAPI.Seeded.dana) == [1, 2, 3, 4, 5])
            }
        }

        @Test("an appliance body that fails validation is 422 naming the field", arguments: [
            ("POST", #"{"name":"x"}"#, "house_id"),
            ("POST", #"{"house_id":1}"#, "name"),
            ("POST", #"{"house_id":999,"name":"x"}"#, "house_id"),
            ("POST", #"{"house_id":2,"name":"x"}"#, "house_id"),
            ("POST", #"{"house_id":1,"name":"x","watts":5}"#, "watts"),
            ("PATCH", #"{}"#, "body"),
            ("PATCH", #"{"house_id":5}"#, "house_id"),
            ("PATCH", #"{"type":null}"#, "type"),
        ])
        func invalidBodies(method: String, body: String, field: String) async throws {
            try await TestAPI.run { api throws in
                let path = method == "POST" ? "/appliances" : "/appliances/1"
                let reply = try await api.send(HTTPRequest.Method(method)!, path, as: .user(TestAPI.Seeded.alice), json: body)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.errorField == field)
            }
        }

        @Test("residents get 403 and strangers 404 for a house's appliances")
        func permissions() async throws {
            try await TestAPI.run { api throws in
                let bob = Credential.user(TestAPI.Seeded.bob)
                #expect(try await api.send(.post, "/appliances", as: bob, json: #"{"house_id":1,"name":"x"}"#).status == .forbidden)
                #expect(try await api.send(.get, "/appliances/1", as: bob).status == .forbidden)
                #expect(try await api.send(.patch, "/appliances/1", as: bob, json: #"{"name":"x"}"#).status == .forbidden)
                #expect(try await api.send(.delete, "/appliances/1", as: bob).status == .forbidden)
                let carol = Credential.user(TestAPI.Seeded.carol)
                let hidden = try await api.send(.get, "/appliances/1", as: carol)
                #expect(hidden.status == .notFound)
                #expect(hidden.json["error"]["message"].string == "appliance not found")
            }
        }

        @Test("every /appliances route is 401 without credentials", arguments: [
            ("GET", "/appliances"), ("POST", "/appliances"), ("GET", "/appliances/1"), ("PATCH", "/appliances/1"), ("DELETE", "/appliances/1"),
        ])
        func unauthenticated(method: String, path: String) async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(HTTPRequest.Method(method)!, path, json: #"{"name":"x"}"#).status == .unauthorized)
            }
        }
    }
}
