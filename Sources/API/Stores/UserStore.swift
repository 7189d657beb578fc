import Postgres

/// The SQL behind `/users`. Every value travels as a bind parameter
/// (`PostgresQuery` interpolation); no statement is assembled from text.
struct UserStore: Sendable {
    let connection: PostgresConnection

    func list(_ page: Pagination) async throws -> [User] {
        try await connection.query("""
            SELECT id, email, name, role, created_at FROM users
            ORDER BY id LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(User.init(row:))
    }

    func find(_ id: Int) async throws -> User? {
        try await connection.query("""
            SELECT id, email, name, role, created_at FROM users WHERE id = \(id)
            """).first.map(User.init(row:))
    }

    /// The login view of a user: what password checks need, and nothing the
    /// API would return.
    func credentials(email: String) async throws -> (id: Int, role: UserRole, passwordHash: String)? {
        guard let row = try await connection.query("""
            SELECT id, role, password_hash FROM users WHERE lower(email) = lower(\(email))
            """).first else { return nil }
        return (try row.decode(Int.self, column: 0),
                UserRole(rawValue: try row.decode(String.self, column: 1)) ?? .user,
                try row.decode(String.self, column: 2))
    }

    /// Inserts a user; a duplicate e-mail (in any case) is a 409 on `email`.
    func create(email: String, name: String, passwordHash: String, role: UserRole) async throws -> User {
        do {
            return try User(row: try await connection.query("""
                INSERT INTO users (email, name, password_hash, role)
                VALUES (\(email), \(name), \(passwordHash), \(role.rawValue))
                RETURNING id, email, name, role, created_at
                """)[0])
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw APIError.conflict("a user with this e-mail already exists", field: "email")
        }
    }

    /// Changes only the given columns (nil leaves a column as it is). Nil if
    /// no such user; 409 when the change would leave no administrator.
    func update(_ id: Int, email: String?, name: String?, passwordHash: String?, role: UserRole?) async throws -> User? {
        try await connection.withTransaction { tx in
            if role == .user { try await Self.requireAnotherAdmin(besides: id, tx) }
            do {
                return try await tx.query("""
                    UPDATE users SET
                        email = COALESCE(\(email), email),
                        name = COALESCE(\(name), name),
                        password_hash = COALESCE(\(passwordHash), password_hash),
                        role = COALESCE(\(role?.rawValue), role)
                    WHERE id = \(id)
                    RETURNING id, email, name, role, created_at
                    """).first.map(User.init(row:))
            } catch let error as PostgresError where error.sqlState == "23505" {
                throw APIError.conflict("a user with this e-mail already exists", field: "email")
            }
        }
    }

    /// Deletes a user. Their house links go with them (ON DELETE CASCADE);
    /// houses they held the key for keep existing without a key owner.
    /// False if no such user; 409 for the last administrator.
    func delete(_ id: Int) async throws -> Bool {
        try await connection.withTransaction { tx in
            try await Self.requireAnotherAdmin(besides: id, tx)
            return try await tx.execute("DELETE FROM users WHERE id = \(id)") == 1
        }
    }

    /// Refuses a change that would leave the system without an
    /// administrator who can log in, since nobody could then manage users.
    /// The admin rows are locked so two concurrent demotions cannot both pass.
    private static func requireAnotherAdmin(besides id: Int, _ tx: PostgresConnection) async throws {
        let admins = try await tx.query("""
            SELECT id FROM users WHERE role = 'admin' AND password_hash <> '!' ORDER BY id FOR UPDATE
            """).map { try $0.decode(Int.self, column: 0) }
        if admins == [id] {
            throw APIError.conflict("this is the last administrator; make another user an administrator first")
        }
    }
}
