@testable import API
import Hummingbird
import Testing

extension APITests {
    /// `/sensors`: a sensor belongs to a house, and optionally to one of its appliances.
    @Suite("Sensors")
    struct SensorsTests {
        @Test("an owner adds a sensor on an appliance, moves it off, renames and deletes it")
        func crud() async throws {
            try await TestAPI.run { api throws in
                let alice = Credential.user(TestAPI.Seeded.alice)
                let created = try await api.send(.post, "/sensors", as: alice, json: #"{"house_id":5,"appliance_id":4,"kind":"leak","name":"Drum leak"}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].int)
                #expect(created.headers[.location] == "/sensors/\(id)")
                #expect(created.json["appliance_id"].int == 4)
                let off = try await api.send(.patch, "/sensors/\(id)", as: alice, json: #"{"appliance_id":null}"#)
                #expect(off.json["appliance_id"].isNull)
                #expect(off.json["name"].string == "Drum leak")
                let back = try await api.send(.patch, "/sensors/\(id)", as: alice, json: #"{"appliance_id":3,"kind":"fire_co"}"#)
                #expect(back.json["appliance_id"].int == 3)
                #expect(back.json["kind"].string == "fire_co")
                #expect(try await api.send(.get, "/sensors/\(id)", as: alice).json["house_id"].int == 5)
                _ = try await api.redis.command("SET", .text(LatestReadings.key(house: 5, sensor: id)), "token")
                #expect(try await api.send(.delete, "/sensors/\(id)", as: alice).status == .noContent)
                #expect(try await api.send(.get, "/sensors/\(id)", as: alice).status == .notFound)
                #expect(try await api.redis.get(LatestReadings.key(house: 5, sensor: id)) == nil)
            }
        }

        @Test("a sensor cannot sit on an appliance of another house", arguments: [
            ("POST", #"{"house_id":5,"appliance_id":1,"kind":"leak","name":"x"}"#),
            ("PATCH", #"{"appliance_id":1}"#),
            ("PATCH", #"{"appliance_id":999}"#),
        ])
        func applianceOfAnotherHouse(method: String, body: String) async throws {
            try await TestAPI.run { api throws in
                let path = method == "POST" ? "/sensors" : "/sensors/6"
                let reply = try await api.send(HTTPRequest.Method(method)!, path, as: .user(TestAPI.Seeded.alice), json: body)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.errorField == "appliance_id")
            }
        }

        @Test("a sensor body that fails validation is 422 naming the field", arguments: [
            ("POST", #"{"house_id":1,"kind":"smoke","name":"x"}"#, "kind"),
            ("POST", #"{"house_id":1,"name":"x"}"#, "kind"),
            ("POST", #"{"house_id":1,"kind":"leak"}"#, "name"),
            ("POST", #"{"kind":"leak","name":"x"}"#, "house_id"),
            ("POST", #"{"house_id":2,"kind":"leak","name":"x"}"#, "house_id"),
            ("PATCH", #"{}"#, "body"),
            ("PATCH", #"{"kind":null}"#, "kind"),
            ("PATCH", #"{"house_id":5}"#, "house_id"),
        ])
        func invalidBodies(method: String, body: String, field: String) async throws {
            try await TestAPI.run { api throws in
                let path = method == "POST" ? "/sensors" : "/sensors/1"
                let reply = try await api.send(HTTPRequest.Method(method)!, path, as: .user(TestAPI.Seeded.alice), json: body)
                #expect(reply.status == .unprocessableContent, "\(reply)")
                #expect(reply.errorField == field)
            }
        }

        @Test("the sensor list shows owners their houses' sensors; residents get 403 on a sensor, strangers 404")
        func permissions() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.get, "/sensors", as: .user(TestAPI.Seeded.carol)).json["items"].array.compactMap { $0["id"].int } == [9, 10])
                #expect(try await api.send(.get, "/sensors", as: .user(TestAPI.Seeded.bob)).json["items"].array.isEmpty)
                #expect(try await api.send(.get, "/sensors?limit=3&offset=7", as: .user(TestAPI.Seeded.dana)).json["items"].array.compactMap { $0["id"].int } == [8, 9, 10])
                let bob = Credential.user(TestAPI.Seeded.bob)
                #expect(try await api.send(.get, "/sensors/1", as: bob).status == .forbidden)
                #expect(try await api.send(.post, "/sensors", as: bob, json: #"{"house_id":1,"kind":"leak","name":"x"}"#).status == .forbidden)
                #expect(try await api.send(.patch, "/sensors/1", as: bob, json: #"{"name":"x"}"#).status == .forbidden)
                #expect(try await api.send(.delete, "/sensors/1", as: bob).status == .forbidden)
                #expect(try await api.send(.get, "/sensors/1", as: .user(TestAPI.Seeded.carol)).status == .notFound)
            }
        }

        @Test("every /sensors route is 401 without credentials", arguments: [
            ("GET", "/sensors"), ("POST", "/sensors"), ("GET", "/sensors/1"), ("PATCH", "/sensors/1"), ("DELETE", "/sensors/1"),
        ])
        func unauthenticated(method: String, path: String) async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(HTTPRequest.Method(method)!, path, json: #"{"name":"x"}"#).status == .unauthorized)
            }
        }
    }
}
