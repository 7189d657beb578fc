extension Migration {
    /// Version 3: the optional reading history, written by the subscriber with
    /// COPY in batches when `--history` is on.
    ///
    /// `token` is the Fernet token exactly as received, so history at rest is
    /// as encrypted as the latest value in Redis; reading it back needs the
    /// owner's key. There is no primary key on purpose: this is an append-only
    /// log, and a unique index would cost every COPY an index probe per row.
    /// `house_id` is copied from the sensor so that a house's history needs no
    /// join; deleting a sensor (or its house, which deletes its sensors)
    /// deletes its history.
    static let readings = Migration(version: 3, name: "readings", sql: """
        CREATE TABLE readings (
            house_id    bigint NOT NULL,
            sensor_id   bigint NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
            seq         bigint NOT NULL,
            kind        text NOT NULL,
            occurred_at timestamptz NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            token       text NOT NULL
        );
        CREATE INDEX readings_sensor_occurred_idx ON readings (sensor_id, occurred_at);
        """)
}
