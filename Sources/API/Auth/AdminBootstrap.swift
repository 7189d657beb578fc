import Postgres

/// Makes sure someone can log in as administrator on a fresh database.
///
/// When no administrator with a usable password exists, one is created from
/// ``InitialAdmin`` (`HEARTH_ADMIN_EMAIL` and `HEARTH_ADMIN_PASSWORD`), or,
/// without it, as `admin@localhost` with a random password that is returned
/// once so the caller can show it to the person starting the server. There
/// is no default password anywhere. An advisory lock makes two API
/// processes starting on the same database agree on one administrator.
public enum AdminBootstrap {
    /// Arbitrary, fixed: the advisory lock that serialises bootstraps.
    private static let lockKey: Int64 = 0x6865_6172_7468_0001

    /// What was done, for the start-up message.
    public enum Outcome: Sendable, Equatable {
        /// An administrator could already log in.
        case existing
        /// Created (or given a password and promoted) from ``InitialAdmin``.
        case fromEnvironment(email: String)
        /// Created with a random password, to be shown once.
        case generated(email: String, password: String)
    }

    static func run(_ pool: PostgresPool, passwords: PasswordHasher, initial: InitialAdmin?) async throws -> Outcome {
        if try await pool.withConnection({ try await hasUsableAdmin($0) }) { return .existing }
        let email: String
        let password: String
        if let initial {
            do {
                email = try Validate.email(initial.email, field: "HEARTH_ADMIN_EMAIL")
                password = try Validate.password(initial.password, field: "HEARTH_ADMIN_PASSWORD")
            } catch {
                throw AdminBootstrapError("\(error.field ?? "admin"): \(error.message)")
            }
        } else {
            email = "admin@localhost"
            password = randomPassword()
        }
        let hash = try await passwords.hash(password)
        let created: Bool = try await pool.withConnection { connection in
            try await connection.withTransaction { tx in
                try await tx.query("SELECT pg_advisory_xact_lock(\(lockKey))")
                if try await hasUsableAdmin(tx) { return false }
                try await tx.execute("""
                    INSERT INTO users (email, name, password_hash, role)
                    VALUES (\(email), 'Administrator', \(hash), 'admin')
                    ON CONFLICT ((lower(email))) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin'
                    """)
                return true
            }
        }
        guard created else { return .existing }
        return initial == nil ? .generated(email: email, password: password) : .fromEnvironment(email: email)
    }

    private static func hasUsableAdmin(_ connection: PostgresConnection) async throws -> Bool {
        try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND password_hash LIKE '$2%')
            """)[0].decode(Bool.self, column: 0)
    }

    /// 24 characters from a 64-letter alphabet: 144 bits.
    private static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SystemRandomNumberGenerator()
        return String((0 ..< 24).map { _ in alphabet[Int.random(in: 0 ..< alphabet.count, using: &generator)] })
    }
}

/// The initial administrator's settings are unusable.
struct AdminBootstrapError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
