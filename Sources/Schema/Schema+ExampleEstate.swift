import Postgres

extension Schema {
    /// Inserts the original system's example estate: user 1 (Alice) owns
    /// houses 1 and 5, which both have appliances with sensors on them; Bob
    /// lives in house 1 as a resident; Carol owns house 2; Dana is an admin
    /// who owns nothing. Ids are fixed so that documentation, API tests and
    /// `curl` examples can name them; the sequences are moved past them.
    ///
    /// Idempotent (`ON CONFLICT DO NOTHING`). Passwords are locked (`!`);
    /// the HTTP API sets real bcrypt hashes.
    ///
    /// | user | role  | houses                      |
    /// |------|-------|-----------------------------|
    /// | 1    | user  | owner of 1 and 5            |
    /// | 2    | user  | resident of 1 (since 2024)  |
    /// | 3    | user  | owner of 2; resident of 5 until 2024-06-30 |
    /// | 4    | admin | none                        |
    public static func seedExample(_ connection: PostgresConnection) async throws {
        try await connection.withTransaction { tx in
            try await tx.executeScript(exampleEstateSQL)
            try await advanceSequences(tx)
        }
    }

    /// Takes a pooled connection for ``seedExample(_:)-(PostgresConnection)``.
    public static func seedExample(_ pool: PostgresPool) async throws {
        try await pool.withConnection { try await seedExample($0) }
    }

    /// Sensor kinds are the built-in plugins' names (DESIGN.md, payloads).
    private static let exampleEstateSQL: StaticString = """
        INSERT INTO users (id, email, name, password_hash, role) VALUES
            (1, 'alice@example.com', 'Alice Example', '!', 'user'),
            (2, 'bob@example.com',   'Bob Example',   '!', 'user'),
            (3, 'carol@example.com', 'Carol Example', '!', 'user'),
            (4, 'dana@example.com',  'Dana Example',  '!', 'admin')
        ON CONFLICT DO NOTHING;

        INSERT INTO houses (id, name, address, owner_id) VALUES
            (1, 'Maple Cottage', '1 Maple Lane',   1),
            (2, 'Harbour Flat',  '2 Quay Street',  3),
            (5, 'Lake House',    '5 Shore Road',   1)
        ON CONFLICT (id) DO NOTHING;

        INSERT INTO house_users (house_id, user_id, role, start_date, end_date) VALUES
            (1, 1, 'owner',    '2020-03-01', NULL),
            (5, 1, 'owner',    '2022-07-15', NULL),
            (1, 2, 'resident', '2024-01-10', NULL),
            (2, 3, 'owner',    '2021-09-01', NULL),
            (5, 3, 'resident', '2023-05-01', '2024-06-30')
        ON CONFLICT DO NOTHING;

        INSERT INTO appliances (id, house_id, name, type) VALUES
            (1, 1, 'Kitchen oven',    'oven'),
            (2, 1, 'Water heater',    'water_heater'),
            (3, 5, 'Gas boiler',      'boiler'),
            (4, 5, 'Washing machine', 'washing_machine'),
            (5, 2, 'Dishwasher',      'dishwasher')
        ON CONFLICT (id) DO NOTHING;

        INSERT INTO sensors (id, house_id, appliance_id, kind, name) VALUES
            (1,  1, 1,    'fire_co',     'Kitchen smoke and CO'),
            (2,  1, 2,    'leak',        'Water heater leak'),
            (3,  1, NULL, 'door_window', 'Front door'),
            (4,  1, NULL, 'thermostat',  'Living room thermostat'),
            (5,  1, NULL, 'motion',      'Hall motion'),
            (6,  5, 3,    'fire_co',     'Boiler room smoke and CO'),
            (7,  5, 4,    'leak',        'Laundry leak'),
            (8,  5, NULL, 'garage',      'Garage door'),
            (9,  2, 5,    'leak',        'Dishwasher leak'),
            (10, 2, NULL, 'door_window', 'Balcony window')
        ON CONFLICT (id) DO NOTHING;
        """
}
