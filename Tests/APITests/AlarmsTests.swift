@testable import API
import Hummingbird
import Postgres
import Testing

extension APITests {
    /// `/houses/{id}/alarms`: active alarms, history, acknowledgement.
    @Suite("Alarms")
    struct AlarmsTests {
        /// Smoke raised then cleared on sensor 1, a leak raised on sensor 2
        /// (house 1), and a leak raised in house 5.
        static func insertTransitions(_ api: TestAPI) async throws {
            try await api.execute("""
                INSERT INTO alarms (id, house_id, sensor_id, kind, alarm, state, seq, occurred_at) VALUES
                    (1, 1, 1, 'fire_co', 'smoke', 'raised', 10, now() - interval '10 minutes'),
                    (2, 1, 1, 'fire_co', 'smoke', 'cleared', 12, now() - interval '8 minutes'),
                    (3, 1, 2, 'leak', 'leakage', 'raised', 4, now() - interval '5 minutes'),
                    (4, 5, 7, 'leak', 'leakage', 'raised', 1, now() - interval '1 minute')
                """)
        }

        @Test("history lists every transition newest first; active lists alarms raised and not cleared")
        func listing() async throws {
            try await TestAPI.run { api throws in
                try await Self.insertTransitions(api)
                let bob = Credential.user(TestAPI.Seeded.bob)
                let history = try await api.send(.get, "/houses/1/alarms", as: bob)
                #expect(history.status == .ok)
                #expect(history.json["items"].array.compactMap { $0["id"].int } == [3, 2, 1])
                #expect(history.json["items"][0]["state"].string == "raised")
                #expect(history.json["items"][0]["acknowledged_at"].isNull)
                let active = try await api.send(.get, "/houses/1/alarms?state=active", as: bob)
                #expect(active.json["items"].array.compactMap { $0["id"].int } == [3])
                let paged = try await api.send(.get, "/houses/1/alarms?limit=2&offset=1", as: bob)
                #expect(paged.json["items"].array.compactMap { $0["id"].int } == [2, 1])
                let bad = try await api.send(.get, "/houses/1/alarms?state=open", as: bob)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.errorField == "state")
            }
        }

        @Test("an owner acknowledges a raised alarm once; the first acknowledgement stands")
        func acknowledge() async throws {
            try await TestAPI.run { api throws in
                try await Self.insertTransitions(api)
                let first = try await api.send(.post, "/houses/1/alarms/3/acknowledge", as: .user(TestAPI.Seeded.alice))
                #expect(first.status == .ok)
                #expect(first.json["acknowledged_by"].int == 1)
                let when = try #require(first.json["acknowledged_at"].string)
                let again = try await api.send(.post, "/houses/1/alarms/3/acknowledge", as: .user(TestAPI.Seeded.dana))
                #expect(again.json["acknowledged_by"].int == 1)
                #expect(again.json["acknowledged_at"].string == when)
                let active = try await api.send(.get, "/houses/1/alarms?state=active", as: .user(TestAPI.Seeded.alice))
                #expect(active.json["items"][0]["acknowledged_by"].int == 1)
            }
        }

        @Test("acknowledging a clearing is 409; an alarm of another house or no alarm is 404; residents get 403")
        func refusals() async throws {
            try await TestAPI.run { api throws in
                try await Self.insertTransitions(api)
                let alice = Credential.user(TestAPI.Seeded.alice)
                #expect(try await api.send(.post, "/houses/1/alarms/2/acknowledge", as: alice).status == .conflict)
                #expect(try await api.send(.post, "/houses/1/alarms/4/acknowledge", as: alice).status == .notFound)
                #expect(try await api.send(.post, "/houses/1/alarms/999/acknowledge", as: alice).status == .notFound)
                #expect(try await api.send(.post, "/houses/1/alarms/3/acknowledge", as: .user(TestAPI.Seeded.bob)).status == .forbidden)
                #expect(try await api.send(.post, "/houses/5/alarms/4/acknowledge", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.send(.get, "/houses/5/alarms", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.scalar(Int.self, "SELECT count(*) FROM alarms WHERE acknowledged_at IS NOT NULL") == 0)
            }
        }
    }
}
