import Postgres

/// The SQL behind `/houses/{id}/alarms`.
///
/// `alarms` holds transitions; an alarm is active while its latest
/// transition (per sensor and alarm name, by the reading's `seq`) is
/// `raised`. Acknowledging marks that raised transition; it does not clear
/// the alarm, which only the sensor can do.
struct AlarmStore: Sendable {
    let connection: PostgresConnection

    /// Alarms active now, newest first.
    func active(house: Int, _ page: Pagination) async throws -> [Alarm] {
        try await connection.query("""
            SELECT id, house_id, sensor_id, kind, alarm, state, seq, occurred_at, recorded_at, acknowledged_at, acknowledged_by
            FROM (
                SELECT DISTINCT ON (sensor_id, alarm) *
                FROM alarms WHERE house_id = \(house)
                ORDER BY sensor_id, alarm, seq DESC, id DESC
            ) latest
            WHERE state = 'raised'
            ORDER BY occurred_at DESC, id DESC
            LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Alarm.init(row:))
    }

    /// Every transition, newest first.
    func history(house: Int, _ page: Pagination) async throws -> [Alarm] {
        try await connection.query("""
            SELECT id, house_id, sensor_id, kind, alarm, state, seq, occurred_at, recorded_at, acknowledged_at, acknowledged_by
            FROM alarms WHERE house_id = \(house)
            ORDER BY occurred_at DESC, id DESC
            LIMIT \(page.fetchLimit) OFFSET \(page.offset)
            """).map(Alarm.init(row:))
    }

    /// Marks a raised alarm acknowledged by `user`. Acknowledging again keeps
    /// the first acknowledgement. Nil if the house has no such alarm; 409 for
    /// a `cleared` transition, which has nothing to acknowledge.
    func acknowledge(house: Int, alarm id: Int, by user: Int) async throws -> Alarm? {
        if let row = try await connection.query("""
            UPDATE alarms SET
                acknowledged_by = CASE WHEN acknowledged_at IS NULL THEN \(user) ELSE acknowledged_by END,
                acknowledged_at = COALESCE(acknowledged_at, now())
            WHERE id = \(id) AND house_id = \(house) AND state = 'raised'
            RETURNING id, house_id, sensor_id, kind, alarm, state, seq, occurred_at, recorded_at, acknowledged_at, acknowledged_by
            """).first {
            return try Alarm(row: row)
        }
        let exists = try await connection.query("SELECT 1 FROM alarms WHERE id = \(id) AND house_id = \(house)")
        guard exists.isEmpty else { throw APIError.conflict("only a raised alarm can be acknowledged; this one records a clearing") }
        return nil
    }
}
