extension Migration {
    /// Version 1: who lives where and what is installed there.
    ///
    /// - `users.email` is unique regardless of case (an index on `lower(email)`),
    ///   because people type their address in any case when they log in.
    /// - `users.password_hash` holds a bcrypt hash written by the HTTP API;
    ///   rows created by seeding hold `!`, which no bcrypt check accepts, so a
    ///   seeded account cannot log in until someone sets a password.
    /// - `houses.owner_id` is the key owner: that user's Fernet key
    ///   (`owner-<N>.key`) encrypts the house's readings. Deleting the user
    ///   leaves the house without an owner rather than deleting it.
    /// - A sensor may sit on an appliance, but only on one in its own house: the
    ///   foreign key covers `(appliance_id, house_id)`, and deleting the
    ///   appliance clears only `appliance_id` (PostgreSQL 15's column list).
    static let estate = Migration(version: 1, name: "estate", sql: """
        CREATE TABLE users (
            id            bigserial PRIMARY KEY,
            email         text NOT NULL CHECK (email <> ''),
            name          text NOT NULL DEFAULT '',
            password_hash text NOT NULL,
            role          text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

        CREATE TABLE houses (
            id         bigserial PRIMARY KEY,
            name       text NOT NULL DEFAULT '',
            address    text NOT NULL DEFAULT '',
            owner_id   bigint REFERENCES users (id) ON DELETE SET NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX houses_owner_id_idx ON houses (owner_id);

        CREATE TABLE house_users (
            house_id   bigint NOT NULL REFERENCES houses (id) ON DELETE CASCADE,
            user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            role       text NOT NULL DEFAULT 'resident' CHECK (role IN ('owner', 'resident')),
            start_date date NOT NULL DEFAULT current_date,
            end_date   date,
            PRIMARY KEY (house_id, user_id),
            CHECK (end_date IS NULL OR end_date >= start_date)
        );
        CREATE INDEX house_users_user_id_idx ON house_users (user_id);

        CREATE TABLE appliances (
            id         bigserial PRIMARY KEY,
            house_id   bigint NOT NULL REFERENCES houses (id) ON DELETE CASCADE,
            name       text NOT NULL,
            type       text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (id, house_id)
        );
        CREATE INDEX appliances_house_id_idx ON appliances (house_id);

        CREATE TABLE sensors (
            id           bigserial PRIMARY KEY,
            house_id     bigint NOT NULL REFERENCES houses (id) ON DELETE CASCADE,
            appliance_id bigint,
            kind         text NOT NULL CHECK (kind <> ''),
            name         text NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            FOREIGN KEY (appliance_id, house_id) REFERENCES appliances (id, house_id)
                ON DELETE SET NULL (appliance_id)
        );
        CREATE INDEX sensors_house_id_idx ON sensors (house_id);
        CREATE INDEX sensors_appliance_id_idx ON sensors (appliance_id);
        """)
}
