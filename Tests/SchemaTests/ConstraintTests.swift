import Postgres
import Schema
import Testing

/// The rules the tables enforce themselves, so that no client (subscriber,
/// API, psql) can break them.
@Suite("Schema constraints")
struct ConstraintTests {
    @Test("emails are unique regardless of case")
    func emailIgnoresCase() async throws {
        try await withMigratedDatabase { connection in
            try await connection.execute("INSERT INTO users (email, password_hash) VALUES (\("Ann@Example.com"), \("!"))")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO users (email, password_hash) VALUES (\("ann@example.COM"), \("!"))")
            }
            #expect(error?.sqlState == "23505")
        }
    }

    @Test("an alarm transition is stored once however often it is replayed, and again for a later run's reading with the same seq")
    func alarmTransitionsAreIdempotent() async throws {
        try await withMigratedDatabase { connection in
            try await Schema.seedExample(connection)
            func insert(at time: String) async throws -> Int {
                try await connection.execute("""
                    INSERT INTO alarms (house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                    VALUES (\(1), \(1), \("fire_co"), \("smoke"), \("raised"), \(42), \(time)::timestamptz)
                    ON CONFLICT DO NOTHING
                    """)
            }
            var inserted = 0
            for _ in 0..<3 { inserted += try await insert(at: "2026-11-29T10:00:00.250Z") }
            #expect(inserted == 1)
            // seq starts at 0 in every run: the next run's seq 42 is another reading.
            #expect(try await insert(at: "2026-11-29T11:00:00.250Z") == 1)
            let badState = await #expect(throws: PostgresError.self) {
                try await connection.execute("""
                    INSERT INTO alarms (house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                    VALUES (\(1), \(1), \("fire_co"), \("smoke"), \("exploded"), \(43), now())
                    """)
            }
            #expect(badState?.sqlState == "23514")
        }
    }

    @Test("a sensor can only sit on an appliance of its own house; deleting the appliance keeps the sensor")
    func sensorAppliance() async throws {
        try await withMigratedDatabase { connection in
            try await Schema.seedExample(connection)
            // Appliance 5 is in house 2; sensor 1 is in house 1.
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("UPDATE sensors SET appliance_id = \(5) WHERE id = \(1)")
            }
            #expect(error?.sqlState == "23503")
            try await connection.execute("DELETE FROM appliances WHERE id = \(1)")
            let row = try await connection.query("SELECT house_id, appliance_id FROM sensors WHERE id = \(1)")[0]
            #expect(try row.decode(Int.self, column: 0) == 1)
            #expect(try row.decode(Int?.self, column: 1) == nil)
        }
    }

    @Test("deleting a house deletes its sensors, alarms, history and memberships; deleting a user orphans the house")
    func cascades() async throws {
        try await withMigratedDatabase { connection in
            try await Schema.seedExample(connection)
            try await connection.execute("""
                INSERT INTO alarms (house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                VALUES (\(5), \(6), \("fire_co"), \("smoke"), \("raised"), \(1), now())
                """)
            try await connection.execute("""
                INSERT INTO readings (house_id, sensor_id, seq, kind, occurred_at, token)
                VALUES (\(5), \(6), \(1), \("fire_co"), now(), \("gAAAA"))
                """)
            try await connection.execute("DELETE FROM users WHERE id = \(3)")
            #expect(try await connection.scalar(Int?.self, "SELECT owner_id FROM houses WHERE id = \(2)") == nil)
            try await connection.execute("DELETE FROM houses WHERE id = \(5)")
            for table in ["sensors", "alarms", "readings", "appliances", "house_users"] {
                let left = try await connection.scalar(Int.self, "SELECT count(*) FROM \(identifier: table) WHERE house_id = \(5)")
                #expect(left == 0, "\(table) still holds rows of the deleted house")
            }
        }
    }
}
