import Postgres

/// The SQL behind `/houses` and `/users/{id}/houses`.
///
/// A house's key owner (`houses.owner_id`) is also linked to it as an
/// `owner` in `house_users`, because access is decided by links alone: the
/// two are written together in one transaction.
struct HouseStore: Sendable {
    let connection: PostgresConnection

    /// Every house for an administrator; the caller's linked houses otherwise.
    func list(visibleTo caller: Principal, _ page: Pagination) async throws -> [House] {
        if caller.role == .admin {
            return try await connection.query("""
                SELECT id, name, address, owner_id, created_at FROM houses
                ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
                """).map(House.init(row:))
        }
        return try await connection.query("""
            SELECT h.id, h.name, h.address, h.owner_id, h.created_at
            FROM houses h JOIN house_users hu ON hu.house_id = h.id
            WHERE hu.user_id = \(caller.userID)
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            ORDER BY h.id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(House.init(row:))
    }

    func find(_ id: Int) async throws -> House? {
        try await connection.query("""
            SELECT id, name, address, owner_id, created_at FROM houses WHERE id = \(id)
            """).first.map(House.init(row:))
    }

    /// The houses a user is linked to now, with the link (the original
    /// system's "houses of a user").
    func houses(ofUser userID: Int, _ page: Pagination) async throws -> [UserHouse] {
        try await connection.query("""
            SELECT h.id, h.name, h.address, h.owner_id, h.created_at, hu.role, hu.start_date::text, hu.end_date::text
            FROM house_users hu JOIN houses h ON h.id = hu.house_id
            WHERE hu.user_id = \(userID)
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            ORDER BY h.id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(UserHouse.init(row:))
    }

    /// Inserts a house and, with an owner, the owner's link.
    func create(name: String, address: String, ownerID: Int?) async throws -> House {
        try await connection.withTransaction { tx in
            let house = try House(row: try await Self.mapOwnerMissing {
                try await tx.query("""
                    INSERT INTO houses (name, address, owner_id) VALUES (\(name), \(address), \(ownerID))
                    RETURNING id, name, address, owner_id, created_at
                    """)[0]
            })
            if let ownerID { try await Self.linkOwner(ownerID, to: house.id, tx) }
            return house
        }
    }

    /// Changes the given columns; a new key owner is linked as an owner too.
    func update(_ id: Int, name: String?, address: String?, ownerID: Int?) async throws -> House? {
        try await connection.withTransaction { tx in
            let row = try await Self.mapOwnerMissing {
                try await tx.query("""
                    UPDATE houses SET
                        name = COALESCE(\(name), name),
                        address = COALESCE(\(address), address),
                        owner_id = COALESCE(\(ownerID), owner_id)
                    WHERE id = \(id)
                    RETURNING id, name, address, owner_id, created_at
                    """).first
            }
            guard let row else { return nil }
            if let ownerID { try await Self.linkOwner(ownerID, to: id, tx) }
            return try House(row: row)
        }
    }

    /// Deletes a house with its appliances, sensors, links and alarms (all
    /// ON DELETE CASCADE). Returns the ids of the sensors that went with it,
    /// so their Redis keys can be dropped too; nil if no such house.
    func delete(_ id: Int) async throws -> [Int]? {
        try await connection.withTransaction { tx in
            let sensors = try await tx.query("SELECT id FROM sensors WHERE house_id = \(id) FOR UPDATE")
                .map { try $0.decode(Int.self, column: 0) }
            guard try await tx.execute("DELETE FROM houses WHERE id = \(id)") == 1 else { return nil }
            return sensors
        }
    }

    /// Makes `userID` an owner of the house from today, reviving an ended
    /// link or promoting a resident.
    private static func linkOwner(_ userID: Int, to houseID: Int, _ tx: PostgresConnection) async throws {
        try await tx.execute("""
            INSERT INTO house_users (house_id, user_id, role, start_date) VALUES (\(houseID), \(userID), 'owner', current_date)
            ON CONFLICT (house_id, user_id) DO UPDATE SET role = 'owner', end_date = NULL,
                start_date = LEAST(house_users.start_date, current_date)
            """)
    }

    /// An owner id that names no user is the client's mistake: 422 on `owner_id`.
    private static func mapOwnerMissing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.sqlState == "23503" {
            throw APIError.invalid("owner_id", "no user has this id")
        }
    }
}
