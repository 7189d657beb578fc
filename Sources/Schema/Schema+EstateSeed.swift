import Postgres

extension Schema {
    /// Inserts a scenario's estate with the ids the scenario uses, so that
    /// topics (`houses/{h}/sensors/{s}`), key files (`owner-<N>.key`) and rows
    /// agree: owners become users `N` (`owner-N@hearth.invalid`, no usable
    /// password), houses get their owner and a matching `house_users` row,
    /// sensors their house and kind.
    ///
    /// Idempotent: rows that already exist are left as they are (`ON CONFLICT
    /// DO NOTHING`), so seeding the same estate twice, or from two processes
    /// at once, is harmless. Existing rows that disagree with the request (a
    /// house with another owner, a sensor in another house or of another kind)
    /// are listed in the report instead of being overwritten, because the
    /// database may be shared with the API and its edits win; a caller that
    /// needs its estate exactly should refuse to run when the report shows any.
    ///
    /// Rows travel by COPY into temporary tables and are merged with one
    /// statement per table, so a million-house estate seeds in seconds. The
    /// id sequences are moved past the highest ids, so rows created later by
    /// the API get fresh ids. Everything happens in one transaction.
    ///
    /// - Parameters:
    ///   - houses: each house's id and the user id of its key owner (nil: none).
    ///   - sensors: each sensor's id, house id, kind (`fire_co`, …) and name.
    ///   - owners: user ids to create as owners; every `ownerID` in `houses`
    ///     must be listed here or exist already.
    @discardableResult
    public static func seedEstate(
        _ pool: PostgresPool,
        houses: [(id: Int, ownerID: Int?)],
        sensors: [(id: Int, houseID: Int, kind: String, name: String)],
        owners: [Int]
    ) async throws -> EstateSeedReport {
        try await pool.withConnection { connection in
            try await connection.withTransaction { tx in
                try await tx.executeScript("""
                    CREATE TEMP TABLE hearth_seed_users (id bigint, email text, name text) ON COMMIT DROP;
                    CREATE TEMP TABLE hearth_seed_houses (id bigint, name text, owner_id bigint) ON COMMIT DROP;
                    CREATE TEMP TABLE hearth_seed_sensors (id bigint, house_id bigint, kind text, name text) ON COMMIT DROP;
                    """)
                try await tx.copyIn(table: "hearth_seed_users", columns: ["id", "email", "name"], rows: owners.lazy.map {
                    [String($0), "owner-\($0)@hearth.invalid", "Owner \($0)"]
                })
                try await tx.copyIn(table: "hearth_seed_houses", columns: ["id", "name", "owner_id"], rows: houses.lazy.map {
                    [String($0.id), "House \($0.id)", $0.ownerID.map(String.init)]
                })
                try await tx.copyIn(table: "hearth_seed_sensors", columns: ["id", "house_id", "kind", "name"], rows: sensors.lazy.map {
                    [String($0.id), String($0.houseID), $0.kind, $0.name]
                })
                return try await mergeSeedTables(tx)
            }
        }
    }

    /// Moves the temporary tables into the real ones and reports what happened.
    private static func mergeSeedTables(_ tx: PostgresConnection) async throws -> EstateSeedReport {
        var report = EstateSeedReport()
        report.usersInserted = try await tx.execute("""
            INSERT INTO users (id, email, name, password_hash)
            SELECT id, email, name, '!' FROM hearth_seed_users ORDER BY id
            ON CONFLICT DO NOTHING
            """)
        report.housesInserted = try await tx.execute("""
            INSERT INTO houses (id, name, owner_id)
            SELECT id, name, owner_id FROM hearth_seed_houses ORDER BY id
            ON CONFLICT (id) DO NOTHING
            """)
        try await tx.execute("""
            INSERT INTO house_users (house_id, user_id, role)
            SELECT s.id, s.owner_id, 'owner' FROM hearth_seed_houses s
            JOIN houses h ON h.id = s.id AND h.owner_id = s.owner_id
            ORDER BY s.id
            ON CONFLICT DO NOTHING
            """)
        report.sensorsInserted = try await tx.execute("""
            INSERT INTO sensors (id, house_id, kind, name)
            SELECT id, house_id, kind, name FROM hearth_seed_sensors ORDER BY id
            ON CONFLICT (id) DO NOTHING
            """)
        report.housesWithOtherOwner = try await tx.query("""
            SELECT s.id FROM hearth_seed_houses s JOIN houses h ON h.id = s.id
            WHERE h.owner_id IS DISTINCT FROM s.owner_id ORDER BY s.id
            """).map { try $0.decode(Int.self, column: 0) }
        report.sensorsThatDiffer = try await tx.query("""
            SELECT s.id FROM hearth_seed_sensors s JOIN sensors t ON t.id = s.id
            WHERE t.house_id <> s.house_id OR t.kind <> s.kind ORDER BY s.id
            """).map { try $0.decode(Int.self, column: 0) }
        try await advanceSequences(tx)
        return report
    }

    /// Moves each id sequence past the table's highest id (never backwards),
    /// so that rows inserted with explicit ids do not make the next
    /// `DEFAULT`-id insert collide with them.
    static func advanceSequences(_ tx: PostgresConnection) async throws {
        for table in ["users", "houses", "appliances", "sensors", "alarms"] {
            try await tx.query("""
                SELECT setval(pg_get_serial_sequence(\(table), 'id'), top + 1, false)
                FROM (SELECT COALESCE(max(id), 0) AS top FROM \(identifier: table)) AS highest
                WHERE top + 1 > COALESCE(pg_sequence_last_value(pg_get_serial_sequence(\(table), 'id')::regclass) + 1, 1)
                """)
        }
    }
}

/// What ``Schema/seedEstate(_:houses:sensors:owners:)`` inserted, and which
/// requested rows already existed with different values.
public struct EstateSeedReport: Sendable, Equatable {
    public var usersInserted = 0
    public var housesInserted = 0
    public var sensorsInserted = 0
    /// Houses that exist with an owner other than the requested one: their
    /// readings must be encrypted with the existing owner's key.
    public var housesWithOtherOwner: [Int] = []
    /// Sensors that exist in another house or with another kind.
    public var sensorsThatDiffer: [Int] = []

    public init() {}

    /// Whether the database now holds the estate exactly as requested.
    public var matchesRequest: Bool { housesWithOtherOwner.isEmpty && sensorsThatDiffer.isEmpty }
}
