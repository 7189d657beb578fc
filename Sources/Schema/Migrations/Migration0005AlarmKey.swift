extension Migration {
    /// Version 5: an alarm transition is the same one only if its reading's
    /// timestamp matches too: `UNIQUE (sensor_id, alarm, seq, state, occurred_at)`.
    ///
    /// `seq` starts again at 0 whenever a publisher starts, so on a second
    /// run against the same PostgreSQL (an external `--postgres`, a CI
    /// database kept between jobs) the fire at seq 40 of run two collided
    /// with the fire at seq 40 of run one, `ON CONFLICT DO NOTHING` dropped
    /// it, and the run waited in vain for its alarm row. A replay from the
    /// subscriber's spool or a QoS 1 duplicate is the same reading, with the
    /// same timestamp, so it still lands exactly once.
    static let alarmKey = Migration(version: 5, name: "alarm_key_with_time", sql: """
        ALTER TABLE alarms DROP CONSTRAINT alarms_sensor_id_alarm_seq_state_key;
        ALTER TABLE alarms ADD CONSTRAINT alarms_transition_key UNIQUE (sensor_id, alarm, seq, state, occurred_at);
        """)
}
