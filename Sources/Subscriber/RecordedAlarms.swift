import Postgres

/// The alarms that are active per sensor according to what was already
/// recorded: the `alarms` table's last state of each (sensor, alarm), then
/// the spool's transitions on top (recorded on disk, not yet in the table).
///
/// A subscriber that starts with this knowledge does not raise an alarm a
/// second time after a restart, and does clear an alarm that was raised
/// before it.
enum RecordedAlarms {
    static func load(_ pool: PostgresPool, then spooled: [AlarmTransition]) async throws -> [Int: [String]] {
        var active: [Int: [String]] = [:]
        let rows = try await pool.withConnection { connection in
            try await connection.query("""
                SELECT sensor_id, alarm FROM (
                    SELECT DISTINCT ON (sensor_id, alarm) sensor_id, alarm, state FROM alarms
                    ORDER BY sensor_id, alarm, occurred_at DESC, seq DESC, recorded_at DESC
                ) AS latest
                WHERE state = \("raised")
                """)
        }
        for row in rows {
            active[try row.decode(Int.self, column: 0), default: []].append(try row.decode(String.self, column: 1))
        }
        for transition in spooled {
            switch transition.state {
            case .raised:
                if !(active[transition.sensorID]?.contains(transition.alarm) ?? false) {
                    active[transition.sensorID, default: []].append(transition.alarm)
                }
            case .cleared:
                active[transition.sensorID]?.removeAll { $0 == transition.alarm }
            }
        }
        return active
    }
}
