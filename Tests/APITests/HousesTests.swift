@testable import API
import Hummingbird
import Testing

extension APITests {
    /// `/houses` and the per-house lists of appliances and sensors.
    @Suite("Houses")
    struct HousesTests {
        @Test("a user creates a house, becomes its owner and manages it; deleting it answers 204")
        func crudByOwner() async throws {
            try await TestAPI.run { api throws in
                let bob = Credential.user(TestAPI.Seeded.bob)
                let created = try await api.send(.post, "/houses", as: bob, json: #"{"name":"Bob's Barn","address":"9 Field Way"}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].int)
                #expect(created.headers[.location] == "/houses/\(id)")
                #expect(created.json["owner_id"].int == 2)
                #expect(try await api.scalar(String.self, "SELECT role FROM house_users WHERE house_id = \(id) AND user_id = 2") == "owner")

                #expect(try await api.send(.get, "/houses/\(id)", as: bob).json["name"].string == "Bob's Barn")
                let patched = try await api.send(.patch, "/houses/\(id)", as: bob, json: #"{"address":"10 Field Way"}"#)
                #expect(patched.json["address"].string == "10 Field Way")
                #expect(patched.json["name"].string == "Bob's Barn")
                #expect(try await api.send(.delete, "/houses/\(id)", as: bob).status == .noContent)
                #expect(try await api.send(.get, "/houses/\(id)", as: bob).status == .notFound)
                #expect(try await api.send(.delete, "/houses/\(id)", as: .user(TestAPI.Seeded.dana)).status == .notFound)
            }
        }

        @Test("deleting a house deletes its appliances, sensors, links and alarms, and its sensors' latest readings")
        func cascade() async throws {
            try await TestAPI.run { api throws in
                try await api.execute("""
                    INSERT INTO alarms (house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                    VALUES (1, 1, 'fire_co', 'smoke', 'raised', 1, now())
                    """)
                _ = try await api.redis.command("SET", "house:{1}:sensor:1:latest", "token")
                _ = try await api.redis.command("SET", "house:{5}:sensor:6:latest", "token")
                #expect(try await api.send(.delete, "/houses/1", as: .user(TestAPI.Seeded.alice)).status == .noContent)
                for table in ["appliances", "sensors", "house_users", "alarms"] {
                    #expect(try await api.scalar(Int.self, "SELECT count(*) FROM \(identifier: table) WHERE house_id = 1") == 0, "\(table)")
                }
                #expect(try await api.scalar(Int.self, "SELECT count(*) FROM appliances WHERE house_id = 5") == 2)
                #expect(try await api.redis.get("house:{1}:sensor:1:latest") == nil)
                #expect(try await api.redis.get("house:{5}:sensor:6:latest") != nil)
            }
        }

        @Test("the house list shows linked houses to users and every house to administrators, in id order")
        func listing() async throws {
            try await TestAPI.run { api throws in
                func ids(_ credential: Credential, _ query: String = "") async throws -> [Int] {
                    try await api.send(.get, "/houses\(query)", as: credential).json["items"].array.compactMap { $0["id"].int }
                }
                #expect(try await ids(.user(TestAPI.Seeded.alice)) == [1, 5])
                #expect(try await ids(.user(TestAPI.Seeded.bob)) == [1])
                // Carol's residency in house 5 ended in 2024.
                #expect(try await ids(.user(TestAPI.Seeded.carol)) == [2])
                #expect(try await ids(.user(TestAPI.Seeded.dana)) == [1, 2, 5])
                #expect(try await ids(.user(TestAPI.Seeded.dana), "?limit=1&offset=1") == [2])
            }
        }

        @Test("a bad page is 422 naming limit or offset", arguments: [
            ("?limit=0", "limit"), ("?limit=501", "limit"), ("?limit=ten", "limit"), ("?offset=-1", "offset"), ("?offset=x", "offset"),
        ])
        func badPage(query: String, field: String) async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.get, "/houses\(query)", as: .user(TestAPI.Seeded.alice))
                #expect(reply.status == .unprocessableContent)
                #expect(reply.errorField == field)
            }
        }

        @Test("owners and administrators may change a house; residents get 403; strangers 404")
        func permissions() async throws {
            try await TestAPI.run { api throws in
                let body = #"{"name":"Renamed"}"#
                #expect(try await api.send(.patch, "/houses/1", as: .user(TestAPI.Seeded.bob), json: body).status == .forbidden)
                #expect(try await api.send(.delete, "/houses/1", as: .user(TestAPI.Seeded.bob)).status == .forbidden)
                #expect(try await api.send(.get, "/houses/1", as: .user(TestAPI.Seeded.bob)).status == .ok)
                #expect(try await api.send(.get, "/houses/1/appliances", as: .user(TestAPI.Seeded.bob)).status == .forbidden)
                #expect(try await api.send(.get, "/houses/1/sensors", as: .user(TestAPI.Seeded.bob)).status == .forbidden)
                #expect(try await api.send(.patch, "/houses/1", as: .user(TestAPI.Seeded.carol), json: body).status == .notFound)
                #expect(try await api.send(.get, "/houses/5", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.send(.patch, "/houses/1", as: .user(TestAPI.Seeded.dana), json: body).status == .ok)
            }
        }

        @Test("only administrators create houses for someone else; a new key owner must exist and is linked as owner")
        func ownership() async throws {
            try await TestAPI.run { api throws in
                let forCarol = #"{"name":"Gift","owner_id":3}"#
                #expect(try await api.send(.post, "/houses", as: .user(TestAPI.Seeded.alice), json: forCarol).status == .forbidden)
                let created = try await api.send(.post, "/houses", as: .user(TestAPI.Seeded.dana), json: forCarol)
                #expect(created.json["owner_id"].int == 3)
                let unknownOwner = try await api.send(.post, "/houses", as: .user(TestAPI.Seeded.dana), json: #"{"name":"x","owner_id":999}"#)
                #expect(unknownOwner.status == .unprocessableContent)
                #expect(unknownOwner.errorField == "owner_id")
                let moved = try await api.send(.patch, "/houses/1", as: .user(TestAPI.Seeded.alice), json: #"{"owner_id":2}"#)
                #expect(moved.json["owner_id"].int == 2)
                #expect(try await api.scalar(String.self, "SELECT role FROM house_users WHERE house_id = 1 AND user_id = 2") == "owner")
                let noOwner = try await api.send(.post, "/houses", as: .user(TestAPI.Seeded.dana), json: #"{"name":"Empty"}"#)
                #expect(noOwner.json["owner_id"].isNull)
            }
        }

        @Test("a house body that fails validation is 422 naming the field", arguments: [
            ("POST", #"{"address":"x"}"#, "name"),
            ("POST", #"{"name":"   "}"#, "name"),
            ("POST", #"{"name":"x","colour":"red"}"#, "colour"),
            ("POST", #"{"name":"x","owner_id":0}"#, "owner_id"),
            ("POST", #"{"name":"line\u0000break"}"#, "name"),
            ("PATCH", #"{}"#, "body"),
            ("PATCH", #"{"name":null}"#, "name"),
            ("PATCH", #"{"owner_id":"one"}"#, "owner_id"),
        ])
        func invalidBodies(method: String, body: String, field: String) async throws {
            try await TestAPI.run { api throws in
                let path = method == "POST" ? "/houses" : "/houses/1"
                let reply = try await api.send(HTTPRequest.Method(method)!, path, as: .user(TestAPI.Seeded.alice), json: body)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.errorField == field)
            }
        }

        @Test("a house's appliances and sensors are listed for its owners")
        func houseLists() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let appliances = try await api.send(.get, "/houses/5/appliances", as: alice)
                #expect(appliances.json["items"].array.compactMap { $0["id"].int } == [3, 4])
                let sensors = try await api.send(.get, "/houses/1/sensors?limit=2", as: alice)
                #expect(sensors.json["items"].array.compactMap { $0["id"].int } == [1, 2])
                #expect(sensors.json["next_offset"].int == 2)
                #expect(sensors.json["items"][0]["appliance_id"].int == 1)
                let third = try await api.send(.get, "/houses/1/sensors?limit=1&offset=2", as: alice)
                #expect(third.json["items"][0]["appliance_id"].isNull)
            }
        }

        @Test("every /houses route is 401 without credentials", arguments: [
            ("GET", "/houses"), ("POST", "/houses"), ("GET", "/houses/1"), ("PATCH", "/houses/1"), ("DELETE", "/houses/1"),
            ("GET", "/houses/1/appliances"), ("GET", "/houses/1/sensors"), ("GET", "/houses/1/data"), ("GET", "/houses/1/alarms"),
            ("POST", "/houses/1/alarms/1/acknowledge"), ("GET", "/houses/1/users"), ("POST", "/houses/1/users"),
            ("GET", "/houses/1/users/2"), ("PATCH", "/houses/1/users/2"), ("DELETE", "/houses/1/users/2"),
        ])
        func unauthenticated(method: String, path: String) async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(HTTPRequest.Method(method)!, path, json: #"{"name":"x"}"#).status == .unauthorized)
            }
        }
    }
}
