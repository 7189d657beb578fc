extension Migration {
    /// Version 4: a counter that goes up whenever `houses` or `sensors` change.
    ///
    /// The subscriber caches which sensors exist and who owns each house. It
    /// reads this one-row table about once a second (a primary-key lookup) and
    /// reloads its caches only when the number moved. That was chosen over
    /// LISTEN/NOTIFY because hearth's PostgreSQL client has no notification
    /// channel and a lost NOTIFY (during a reconnect) would leave a stale cache
    /// forever, while a counter is read again on the next poll. It was chosen
    /// over polling `max(id), count(*)` because that misses an UPDATE (a
    /// sensor moved to another house, a house given a new owner).
    ///
    /// The trigger also calls `pg_notify('hearth_estate', <table>)`, so a
    /// client that does LISTEN (the HTTP API's dashboard, psql) hears changes too.
    /// It is a statement trigger: one bump per statement, however many rows.
    static let estateVersion = Migration(version: 4, name: "estate_version", sql: """
        CREATE TABLE estate_version (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            version   bigint NOT NULL
        );
        INSERT INTO estate_version (version) VALUES (0);

        CREATE FUNCTION bump_estate_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE estate_version SET version = version + 1;
            PERFORM pg_notify('hearth_estate', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$;

        CREATE TRIGGER houses_bump_estate_version
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON houses
            FOR EACH STATEMENT EXECUTE FUNCTION bump_estate_version();
        CREATE TRIGGER sensors_bump_estate_version
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sensors
            FOR EACH STATEMENT EXECUTE FUNCTION bump_estate_version();
        """)
}
