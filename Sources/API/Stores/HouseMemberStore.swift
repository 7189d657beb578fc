import Postgres

/// The SQL behind `/houses/{id}/users`.
struct HouseMemberStore: Sendable {
    let connection: PostgresConnection

    func list(house: Int, _ page: Pagination) async throws -> [HouseMember] {
        try await connection.query("""
            SELECT hu.user_id, u.email, u.name, hu.role, hu.start_date::text, hu.end_date::text,
                hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            FROM house_users hu JOIN users u ON u.id = hu.user_id
            WHERE hu.house_id = \(house)
            ORDER BY hu.user_id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(HouseMember.init(row:))
    }

    func find(house: Int, user: Int) async throws -> HouseMember? {
        try await connection.query("""
            SELECT hu.user_id, u.email, u.name, hu.role, hu.start_date::text, hu.end_date::text,
                hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            FROM house_users hu JOIN users u ON u.id = hu.user_id
            WHERE hu.house_id = \(house) AND hu.user_id = \(user)
            """).first.map(HouseMember.init(row:))
    }

    /// Links a user; 409 if already linked, 422 if no such user.
    func add(house: Int, _ body: AddMemberBody) async throws -> HouseMember {
        let userID: Int
        switch body.who {
        case .id(let id): userID = id
        case .email(let email):
            guard let row = try await connection.query("SELECT id FROM users WHERE lower(email) = lower(\(email))").first else {
                throw APIError.invalid("email", "no user has this e-mail")
            }
            userID = try row.decode(Int.self, column: 0)
        }
        do {
            try await connection.execute("""
                INSERT INTO house_users (house_id, user_id, role, start_date, end_date)
                VALUES (\(house), \(userID), \(body.role.rawValue), COALESCE(\(body.startDate)::date, current_date), \(body.endDate)::date)
                """)
        } catch let error as PostgresError {
            switch error.sqlState {
            case "23505": throw APIError.conflict("this user is already linked to the house", field: "user_id")
            case "23503": throw APIError.invalid("user_id", "no user has this id")
            case "23514": throw APIError.invalid("end_date", "must not be before start_date")
            default: throw error
            }
        }
        return try await find(house: house, user: userID)!
    }

    /// Changes the given fields of a link; nil if there is no such link.
    func update(house: Int, user: Int, _ body: UpdateMemberBody) async throws -> HouseMember? {
        let end = body.endDate.assignment
        do {
            guard try await connection.execute("""
                UPDATE house_users SET
                    role = COALESCE(\(body.role.value?.rawValue), role),
                    start_date = COALESCE(\(body.startDate.value)::date, start_date),
                    end_date = CASE WHEN \(end.write) THEN \(end.value)::date ELSE end_date END
                WHERE house_id = \(house) AND user_id = \(user)
                """) == 1 else { return nil }
        } catch let error as PostgresError where error.sqlState == "23514" {
            throw APIError.invalid("end_date", "must not be before start_date")
        }
        return try await find(house: house, user: user)
    }

    func remove(house: Int, user: Int) async throws -> Bool {
        try await connection.execute("DELETE FROM house_users WHERE house_id = \(house) AND user_id = \(user)") == 1
    }
}
