import Postgres

/// The SQL behind `/sensors` and `/houses/{id}/sensors`.
struct SensorStore: Sendable {
    let connection: PostgresConnection

    /// Every sensor for an administrator; otherwise those in houses the caller owns.
    func list(visibleTo caller: Principal, _ page: Pagination) async throws -> [Sensor] {
        if caller.role == .admin {
            return try await connection.query("""
                SELECT id, house_id, appliance_id, kind, name, created_at FROM sensors
                ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
                """).map(Sensor.init(row:))
        }
        return try await connection.query("""
            SELECT s.id, s.house_id, s.appliance_id, s.kind, s.name, s.created_at
            FROM sensors s JOIN house_users hu ON hu.house_id = s.house_id
            WHERE hu.user_id = \(caller.userID) AND hu.role = 'owner'
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            ORDER BY s.id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Sensor.init(row:))
    }

    func list(house: Int, _ page: Pagination) async throws -> [Sensor] {
        try await connection.query("""
            SELECT id, house_id, appliance_id, kind, name, created_at FROM sensors WHERE house_id = \(house)
            ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Sensor.init(row:))
    }

    func find(_ id: Int) async throws -> Sensor? {
        try await connection.query("""
            SELECT id, house_id, appliance_id, kind, name, created_at FROM sensors WHERE id = \(id)
            """).first.map(Sensor.init(row:))
    }

    func create(_ body: CreateSensorBody) async throws -> Sensor {
        try await Self.mapApplianceMissing {
            try Sensor(row: try await connection.query("""
                INSERT INTO sensors (house_id, appliance_id, kind, name)
                VALUES (\(body.houseID), \(body.applianceID), \(body.kind), \(body.name))
                RETURNING id, house_id, appliance_id, kind, name, created_at
                """)[0])
        }
    }

    func update(_ id: Int, _ body: UpdateSensorBody) async throws -> Sensor? {
        let appliance = body.applianceID.assignment
        return try await Self.mapApplianceMissing {
            try await connection.query("""
                UPDATE sensors SET
                    appliance_id = CASE WHEN \(appliance.write) THEN \(appliance.value) ELSE appliance_id END,
                    kind = COALESCE(\(body.kind.value), kind),
                    name = COALESCE(\(body.name.value), name)
                WHERE id = \(id)
                RETURNING id, house_id, appliance_id, kind, name, created_at
                """).first.map(Sensor.init(row:))
        }
    }

    func delete(_ id: Int) async throws -> Bool {
        try await connection.execute("DELETE FROM sensors WHERE id = \(id)") == 1
    }

    /// The foreign key on `(appliance_id, house_id)` fails both for an
    /// appliance that does not exist and for one in another house; to the
    /// client both mean the same thing.
    private static func mapApplianceMissing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.sqlState == "23503" {
            if error.constraintName?.contains("house_id_fkey") == true && error.constraintName?.contains("appliance") != true {
                throw APIError.invalid("house_id", "no house has this id")
            }
            throw APIError.invalid("appliance_id", "no appliance with this id in the sensor's house")
        }
    }
}
