extension Migration {
    /// Version 2: alarm transitions, one row per raised or cleared alarm.
    ///
    /// `UNIQUE (sensor_id, alarm, seq, state)` is what makes storing a
    /// transition idempotent: the subscriber writes with `ON CONFLICT DO
    /// NOTHING`, so a transition replayed from its disk spool after an outage,
    /// or delivered twice by MQTT at QoS 1, is stored exactly once.
    /// (Version 5 adds `occurred_at` to that key: seq starts again in every run.)
    /// `occurred_at` is the reading's own timestamp; `recorded_at` is when the
    /// row was written, which differs by the length of an outage.
    static let alarms = Migration(version: 2, name: "alarms", sql: """
        CREATE TABLE alarms (
            id              bigserial PRIMARY KEY,
            house_id        bigint NOT NULL REFERENCES houses (id) ON DELETE CASCADE,
            sensor_id       bigint NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
            kind            text NOT NULL,
            alarm           text NOT NULL,
            state           text NOT NULL CHECK (state IN ('raised', 'cleared')),
            seq             bigint NOT NULL CHECK (seq >= 0),
            occurred_at     timestamptz NOT NULL,
            recorded_at     timestamptz NOT NULL DEFAULT now(),
            acknowledged_at timestamptz,
            acknowledged_by bigint REFERENCES users (id) ON DELETE SET NULL,
            UNIQUE (sensor_id, alarm, seq, state)
        );
        CREATE INDEX alarms_house_occurred_idx ON alarms (house_id, occurred_at DESC);
        CREATE INDEX alarms_open_idx ON alarms (house_id) WHERE state = 'raised' AND acknowledged_at IS NULL;
        """)
}
