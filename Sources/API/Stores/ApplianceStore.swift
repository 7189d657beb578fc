import Postgres

/// The SQL behind `/appliances`, `/houses/{id}/appliances` and
/// `/users/{id}/appliances`.
struct ApplianceStore: Sendable {
    let connection: PostgresConnection

    /// Every appliance for an administrator; otherwise those in houses the
    /// caller owns (residents do not manage appliances).
    func list(visibleTo caller: Principal, _ page: Pagination) async throws -> [Appliance] {
        if caller.role == .admin {
            return try await connection.query("""
                SELECT id, house_id, name, type, created_at FROM appliances
                ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
                """).map(Appliance.init(row:))
        }
        return try await connection.query("""
            SELECT a.id, a.house_id, a.name, a.type, a.created_at
            FROM appliances a JOIN house_users hu ON hu.house_id = a.house_id
            WHERE hu.user_id = \(caller.userID) AND hu.role = 'owner'
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            ORDER BY a.id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Appliance.init(row:))
    }

    func list(house: Int, _ page: Pagination) async throws -> [Appliance] {
        try await connection.query("""
            SELECT id, house_id, name, type, created_at FROM appliances WHERE house_id = \(house)
            ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Appliance.init(row:))
    }

    /// The original system's "appliances of a user across all their
    /// houses": every appliance in the houses the user is linked to now,
    /// with the house and the user's role there. `ownedOnly` keeps the houses
    /// the user owns, for callers who may not see a resident's appliances.
    func appliances(ofUser userID: Int, ownedOnly: Bool, _ page: Pagination) async throws -> [UserAppliance] {
        try await connection.query("""
            SELECT a.id, a.house_id, a.name, a.type, a.created_at, h.name, h.address, hu.role
            FROM house_users hu
            JOIN houses h ON h.id = hu.house_id
            JOIN appliances a ON a.house_id = hu.house_id
            WHERE hu.user_id = \(userID)
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
                AND (NOT \(ownedOnly) OR hu.role = 'owner')
            ORDER BY a.id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(UserAppliance.init(row:))
    }

    func find(_ id: Int) async throws -> Appliance? {
        try await connection.query("""
            SELECT id, house_id, name, type, created_at FROM appliances WHERE id = \(id)
            """).first.map(Appliance.init(row:))
    }

    func create(_ body: CreateApplianceBody) async throws -> Appliance {
        do {
            return try Appliance(row: try await connection.query("""
                INSERT INTO appliances (house_id, name, type) VALUES (\(body.houseID), \(body.name), \(body.type))
                RETURNING id, house_id, name, type, created_at
                """)[0])
        } catch let error as PostgresError where error.sqlState == "23503" {
            // The house was deleted between the access check and the insert.
            throw APIError.invalid("house_id", "no house has this id")
        }
    }

    func update(_ id: Int, name: String?, type: String?) async throws -> Appliance? {
        try await connection.query("""
            UPDATE appliances SET name = COALESCE(\(name), name), type = COALESCE(\(type), type)
            WHERE id = \(id)
            RETURNING id, house_id, name, type, created_at
            """).first.map(Appliance.init(row:))
    }

    /// Deletes an appliance; its sensors stay in the house, off any appliance.
    func delete(_ id: Int) async throws -> Bool {
        try await connection.execute("DELETE FROM appliances WHERE id = \(id)") == 1
    }
}
