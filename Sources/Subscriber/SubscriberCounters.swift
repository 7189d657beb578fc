/// The subscriber's cumulative counts since it started. A value type: take
/// a snapshot with ``SubscriberStatistics/counters`` and compare or print it.
public struct SubscriberCounters: Sendable, Equatable {
    /// Messages taken from any input, valid or not.
    public var received = 0
    /// Readings written to Redis as the latest value.
    public var stored = 0
    /// Readings accepted late (within the sequence window); not stored as latest.
    public var outOfOrder = 0
    /// Readings whose seq was seen before (also counted in `deadLetters[.duplicate]`).
    public var duplicates = 0
    /// Sensors whose seq started again from a low number in a newer token.
    public var sequenceRestarts = 0
    /// Refused messages by reason (duplicates included).
    public var deadLetters: [DeadLetterReason: Int] = [:]
    public var alarmsRaised = 0
    public var alarmsCleared = 0
    /// Alarm transitions now in PostgreSQL (inserted, or found already there).
    public var alarmsWritten = 0
    /// Alarm transitions waiting in the disk spool for PostgreSQL.
    public var alarmsSpooled = 0
    /// Rows copied into `readings` (history).
    public var historyRows = 0
    /// History rows given up: the buffer overflowed while PostgreSQL was away.
    public var historyDropped = 0
    /// Redis pipelines sent again after a lost connection or a transient error (OOM, LOADING).
    public var redisRetries = 0
    /// Batches handled (MQTT batches and stream reads).
    public var batches = 0

    public init() {}

    /// All refused messages.
    public var deadLettered: Int { deadLetters.values.reduce(0, +) }

    /// One line for logs and `hearth subscribe`: counts, then reasons by name.
    public var summary: String {
        var line = "received=\(received) stored=\(stored) duplicates=\(duplicates) out_of_order=\(outOfOrder)"
        line += " dead_lettered=\(deadLettered)"
        if !deadLetters.isEmpty {
            line += " (" + deadLetters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"
        }
        line += " alarms_raised=\(alarmsRaised) alarms_cleared=\(alarmsCleared) alarms_written=\(alarmsWritten)"
        line += " alarms_spooled=\(alarmsSpooled)"
        if historyRows > 0 || historyDropped > 0 { line += " history_rows=\(historyRows) history_dropped=\(historyDropped)" }
        if redisRetries > 0 { line += " redis_retries=\(redisRetries)" }
        return line
    }
}
