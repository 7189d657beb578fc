@testable import API
import Hummingbird
import Postgres
import Testing

extension APITests {
    /// An owner of one house can neither read, change nor delete anything of
    /// another house, through any route: each answer is the one an id that
    /// does not exist gets, and nothing changes.
    @Suite("Isolation between houses")
    struct IsolationTests {
        /// An owner, and the things of another house they must not reach.
        struct Intrusion: Sendable, CustomTestStringConvertible {
            var attacker: Int
            var house: Int
            var appliance: Int
            var sensor: Int
            var member: Int
            /// The attacker's own sensor, to try hanging on the victim's appliance.
            var ownSensor: Int
            var testDescription: String { "user \(attacker) against house \(house)" }
        }

        static let intrusions = [
            Intrusion(attacker: TestAPI.Seeded.carol, house: 1, appliance: 1, sensor: 1, member: 2, ownSensor: 9),
            Intrusion(attacker: TestAPI.Seeded.carol, house: 5, appliance: 3, sensor: 6, member: 1, ownSensor: 10),
            Intrusion(attacker: TestAPI.Seeded.alice, house: 2, appliance: 5, sensor: 9, member: 3, ownSensor: 1),
        ]

        /// Every route that names a house, or something in it, by path.
        static func pathRoutes(_ i: Intrusion) -> [(HTTPRequest.Method, String, String?)] {
            [
                (.get, "/houses/\(i.house)", nil),
                (.patch, "/houses/\(i.house)", #"{"name":"taken"}"#),
                (.delete, "/houses/\(i.house)", nil),
                (.get, "/houses/\(i.house)/appliances", nil),
                (.get, "/houses/\(i.house)/sensors", nil),
                (.get, "/houses/\(i.house)/data", nil),
                (.get, "/houses/\(i.house)/alarms", nil),
                (.get, "/houses/\(i.house)/alarms?state=active", nil),
                (.post, "/houses/\(i.house)/alarms/\(i.house * 100)/acknowledge", nil),
                (.get, "/houses/\(i.house)/users", nil),
                (.post, "/houses/\(i.house)/users", #"{"user_id":\#(i.attacker),"role":"owner"}"#),
                (.get, "/houses/\(i.house)/users/\(i.member)", nil),
                (.patch, "/houses/\(i.house)/users/\(i.member)", #"{"role":"resident"}"#),
                (.delete, "/houses/\(i.house)/users/\(i.member)", nil),
                (.get, "/appliances/\(i.appliance)", nil),
                (.patch, "/appliances/\(i.appliance)", #"{"name":"taken"}"#),
                (.delete, "/appliances/\(i.appliance)", nil),
                (.get, "/sensors/\(i.sensor)", nil),
                (.patch, "/sensors/\(i.sensor)", #"{"name":"taken"}"#),
                (.delete, "/sensors/\(i.sensor)", nil),
            ]
        }

        @Test("every route to another house's things answers 404, the same as for an id that does not exist", arguments: intrusions)
        func pathRoutesAreHidden(_ intrusion: Intrusion) async throws {
            try await TestAPI.run { api throws in
                try await Self.insertAlarm(api, house: intrusion.house)
                try await ReadingWriter(api: api).write(house: intrusion.house, sensor: intrusion.sensor, kind: "leak", owner: intrusion.house == 2 ? 3 : 1)
                let before = try await Self.snapshot(api)
                let attacker = Credential.user(intrusion.attacker)
                for (method, path, body) in Self.pathRoutes(intrusion) {
                    let reply = try await api.send(method, path, as: attacker, json: body)
                    #expect(reply.status == .notFound, "\(method) \(path): \(reply)")
                    let ghost = path.replacingOccurrences(of: "/houses/\(intrusion.house)", with: "/houses/999")
                        .replacingOccurrences(of: "/appliances/\(intrusion.appliance)", with: "/appliances/999")
                        .replacingOccurrences(of: "/sensors/\(intrusion.sensor)", with: "/sensors/999")
                    let nothing = try await api.send(method, ghost, as: attacker, json: body)
                    #expect(reply.json == nothing.json, "\(method) \(path) tells more than \(ghost)")
                    #expect(!reply.text.contains("taken"))
                }
                #expect(try await Self.snapshot(api) == before)
            }
        }

        @Test("bodies naming another house's house or appliance are refused like unknown ids", arguments: intrusions)
        func bodyReferencesAreRefused(_ intrusion: Intrusion) async throws {
            try await TestAPI.run { api throws in
                let before = try await Self.snapshot(api)
                let attacker = Credential.user(intrusion.attacker)
                let attempts: [(HTTPRequest.Method, String, String, String)] = [
                    (.post, "/appliances", #"{"house_id":\#(intrusion.house),"name":"taken"}"#, "house_id"),
                    (.post, "/sensors", #"{"house_id":\#(intrusion.house),"kind":"leak","name":"taken"}"#, "house_id"),
                    (.patch, "/sensors/\(intrusion.ownSensor)", #"{"appliance_id":\#(intrusion.appliance)}"#, "appliance_id"),
                ]
                for (method, path, body, field) in attempts {
                    let reply = try await api.send(method, path, as: attacker, json: body)
                    #expect(reply.status == .unprocessableContent, "\(method) \(path): \(reply)")
                    #expect(reply.errorField == field)
                }
                #expect(try await Self.snapshot(api) == before)
            }
        }

        @Test("lists never show another house or its things", arguments: intrusions)
        func listsAreScoped(_ intrusion: Intrusion) async throws {
            try await TestAPI.run { api throws in
                let attacker = Credential.user(intrusion.attacker)
                let houses = try await api.send(.get, "/houses", as: attacker).json["items"].array.compactMap { $0["id"].int }
                #expect(!houses.contains(intrusion.house))
                let appliances = try await api.send(.get, "/appliances", as: attacker).json["items"].array
                #expect(!appliances.contains { $0["house_id"].int == intrusion.house })
                let sensors = try await api.send(.get, "/sensors", as: attacker).json["items"].array
                #expect(!sensors.contains { $0["house_id"].int == intrusion.house })
                let mine = try await api.send(.get, "/users/\(intrusion.attacker)/appliances", as: attacker).json["items"].array
                #expect(!mine.contains { $0["house_id"].int == intrusion.house })
                #expect(try await api.send(.get, "/users/\(intrusion.member)/houses", as: attacker).status == .forbidden)
            }
        }

        static func insertAlarm(_ api: TestAPI, house: Int) async throws {
            let sensor = try #require(try await api.scalar(Int.self, "SELECT min(id) FROM sensors WHERE house_id = \(house)"))
            try await api.execute("""
                INSERT INTO alarms (id, house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                VALUES (\(house * 100), \(house), \(sensor), 'leak', 'leakage', 'raised', 1, now())
                """)
        }

        /// Everything an intruder could have changed, as text.
        static func snapshot(_ api: TestAPI) async throws -> [String] {
            try await api.services.withDatabase { db in
                var rows: [String] = []
                for query: PostgresQuery in [
                    "SELECT id || ':' || name || ':' || address || ':' || coalesce(owner_id::text, '-') FROM houses ORDER BY id",
                    "SELECT house_id || ':' || user_id || ':' || role || ':' || coalesce(end_date::text, '-') FROM house_users ORDER BY 1",
                    "SELECT id || ':' || house_id || ':' || name FROM appliances ORDER BY id",
                    "SELECT id || ':' || house_id || ':' || coalesce(appliance_id::text, '-') || ':' || name FROM sensors ORDER BY id",
                    "SELECT id || ':' || coalesce(acknowledged_by::text, '-') FROM alarms ORDER BY id",
                ] {
                    rows += try await db.query(query).map { try $0.decode(String.self, column: 0) }
                }
                return rows
            }
        }
    }
}
