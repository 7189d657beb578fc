import Postgres
import Schema
import Testing

@Suite("Seeding the estate")
struct SeedTests {
    @Test("the example estate: user 1 owns houses 1 and 5, with appliances and sensors in both")
    func exampleEstate() async throws {
        try await withMigratedDatabase { connection in
            try await Schema.seedExample(connection)
            try await Schema.seedExample(connection)
            let owned = try await connection.query("SELECT id FROM houses WHERE owner_id = \(1) ORDER BY id")
                .map { try $0.decode(Int.self, column: 0) }
            #expect(owned == [1, 5])
            let appliancesPerHouse = try await connection.query("""
                SELECT house_id, count(*) FROM appliances WHERE house_id IN (\(1), \(5)) GROUP BY house_id ORDER BY house_id
                """).map { try $0.decode(Int.self, column: 1) }
            #expect(appliancesPerHouse.count == 2 && appliancesPerHouse.allSatisfy { $0 >= 2 })
            let residents = try await connection.scalar(Int.self, """
                SELECT count(*) FROM house_users WHERE role = \("resident") AND end_date IS NULL
                """)
            #expect(residents == 1)
            #expect(try await connection.scalar(Int.self, "SELECT count(DISTINCT owner_id) FROM houses") == 2)
            // The sequences moved past the fixed ids, so the API's next insert gets a fresh id.
            let next = try await connection.scalar(Int.self, """
                INSERT INTO users (email, password_hash) VALUES (\("new@example.com"), \("!")) RETURNING id
                """)
            #expect(next == 5)
        }
    }

    @Test("seedEstate inserts once, reports rows that differ, and bumps the estate version")
    func seedEstate() async throws {
        try await withPostgres { url in
            let pool = PostgresPool(url: url, size: 2)
            try await Schema.migrate(pool)
            let before = try await pool.withConnection { try await Schema.estateVersion($0) }
            let houses: [(id: Int, ownerID: Int?)] = [(id: 1, ownerID: 7), (id: 2, ownerID: 8), (id: 40, ownerID: 7)]
            let sensors: [(id: Int, houseID: Int, kind: String, name: String)] = [
                (id: 10, houseID: 1, kind: "fire_co", name: "Kitchen"),
                (id: 11, houseID: 2, kind: "leak", name: "Bath"),
                (id: 400, houseID: 40, kind: "motion", name: "Hall"),
            ]
            let first = try await Schema.seedEstate(pool, houses: houses, sensors: sensors, owners: [7, 8])
            #expect(first.usersInserted == 2 && first.housesInserted == 3 && first.sensorsInserted == 3)
            #expect(first.matchesRequest)
            let again = try await Schema.seedEstate(pool, houses: houses, sensors: sensors, owners: [7, 8])
            #expect(again.usersInserted == 0 && again.housesInserted == 0 && again.sensorsInserted == 0)
            #expect(again.matchesRequest)

            let moved = try await Schema.seedEstate(
                pool, houses: [(id: 2, ownerID: 7)], sensors: [(id: 11, houseID: 1, kind: "leak", name: "Bath")], owners: [7]
            )
            #expect(moved.housesWithOtherOwner == [2] && moved.sensorsThatDiffer == [11] && !moved.matchesRequest)

            try await pool.withConnection { connection in
                #expect(try await Schema.estateVersion(connection) > before)
                let owners = try await connection.query("SELECT user_id FROM house_users WHERE role = \("owner") ORDER BY house_id")
                    .map { try $0.decode(Int.self, column: 0) }
                #expect(owners == [7, 8, 7])
                let nextSensor = try await connection.scalar(Int.self, """
                    INSERT INTO sensors (house_id, kind, name) VALUES (\(1), \("leak"), \("New")) RETURNING id
                    """)
                #expect(nextSensor == 401)
            }
            await pool.close()
        }
    }
}
