import BlockingIO
import MQTT
import Postgres
import Publisher
import Reports
import Scenario
import Subscriber

/// Listens to `houses/+/alarms` while a run goes and notes when each alarm
/// announcement arrived, then (``report(measurements:postgresURL:)``) reads
/// the run's rows of the `alarms` table and turns both into the report's
/// alarm latencies and timeline.
///
/// Alarm latency is timed from the intended send time of the reading that
/// showed the alarm (its sensor and `seq` are in the announcement): the
/// pipeline's part of getting an alarm to people, which gates can hold to
/// a limit. The simulated fire itself takes tens of seconds to grow to an
/// alarm after the scenario's `fire_start`; that is physics, not latency,
/// and the timeline shows both times.
public final class AlarmWatcher: Sendable {
    struct Arrival: Sendable {
        var transition: AlarmTransition
        var receivedAt: Int64
    }

    private let client: MQTTClient
    private let lock = Mutex()
    private nonisolated(unsafe) var arrivals: [Arrival] = []
    private nonisolated(unsafe) var listener: Task<Void, Never>?

    private init(client: MQTTClient) {
        self.client = client
    }

    /// Connects and subscribes (QoS 1, so a broker restart loses no announcement).
    public static func start(mqttURL: String, clientID: String) async throws -> AlarmWatcher {
        let client = try await MQTTClient.runListener(url: mqttURL, clientID: clientID, filter: "houses/+/alarms", qos: .atLeastOnce)
        let watcher = AlarmWatcher(client: client)
        let task = Task { await watcher.listen() }
        watcher.lock.withLock { watcher.listener = task }
        return watcher
    }

    private func listen() async {
        for await message in client.messages {
            let now = SystemPublisherClock().wallNanoseconds()
            guard let transition = AlarmTransition(json: message.payload) else { continue }
            lock.withLock { arrivals.append(Arrival(transition: transition, receivedAt: now)) }
        }
    }

    /// Announcements seen so far.
    public var count: Int { lock.withLock { arrivals.count } }

    /// Alarms raised and not cleared, by (house, sensor, alarm), for a progress page.
    public var arrivalsSoFar: [(house: Int, sensor: Int, alarm: String, raised: Bool)] {
        lock.withLock { arrivals.map { ($0.transition.houseID, $0.transition.sensorID, $0.transition.alarm, $0.transition.state == .raised) } }
    }

    public func stop() async {
        await client.disconnect()
        let task = lock.withLock { listener }
        task?.cancel()
        await task?.value
    }

    /// The alarm section of the report: latencies to PostgreSQL and MQTT and
    /// one timeline entry per transition, matched by (sensor, alarm, seq, state).
    public func report(measurements: RunMeasurements, postgresURL: String, events: [ScenarioEvent] = []) async throws -> AlarmReport {
        guard let start = measurements.runStartWallNanoseconds else { return AlarmReport() }
        let rows = try await Self.recordedAlarms(postgresURL: postgresURL, since: start)
        let seen = lock.withLock { arrivals }
        struct Key: Hashable { var sensor: Int; var alarm: String; var seq: Int64; var raised: Bool }
        var entries: [Key: AlarmTimelineEntry] = [:]
        var order: [Key] = []
        var toMQTT: LatencyHistogram = .latency()
        var toPostgres: LatencyHistogram = .latency()
        func entry(_ key: Key, house: Int, kind: String) -> AlarmTimelineEntry? {
            if let existing = entries[key] { return existing }
            guard let intended = measurements.intendedTime(sensor: key.sensor, seq: UInt64(max(0, key.seq))) else { return nil }
            order.append(key)
            let t = Double(intended - start) / 1e9
            var entry = AlarmTimelineEntry(t: t, house: house, sensor: key.sensor, kind: kind, alarm: key.alarm, state: key.raised ? .raised : .cleared)
            if let cause = Self.cause(of: kind, house: house, before: t, in: events) {
                entry.cause = "\(cause.name) at \(cause.at.scenarioText)"
                entry.sinceCauseSeconds = t - cause.at.secondsValue
            }
            return entry
        }
        for arrival in seen {
            let t = arrival.transition
            let key = Key(sensor: t.sensorID, alarm: t.alarm, seq: t.seq, raised: t.state == .raised)
            guard var found = entry(key, house: t.houseID, kind: t.kind.rawValue), found.mqttMs == nil else { continue }
            let nanoseconds = arrival.receivedAt - (start + Int64(found.t * 1e9))
            found.mqttMs = Double(nanoseconds) / 1e6
            toMQTT.recordLatency(nanoseconds: nanoseconds)
            entries[key] = found
        }
        for row in rows {
            let key = Key(sensor: row.sensor, alarm: row.alarm, seq: row.seq, raised: row.raised)
            guard var found = entry(key, house: row.house, kind: row.kind), found.postgresMs == nil else { continue }
            let nanoseconds = row.recordedAt - (start + Int64(found.t * 1e9))
            found.postgresMs = Double(nanoseconds) / 1e6
            toPostgres.recordLatency(nanoseconds: nanoseconds)
            entries[key] = found
        }
        let timeline = order.compactMap { entries[$0] }.sorted { ($0.t, $0.sensor) < ($1.t, $1.sensor) }
        return AlarmReport(
            toPostgres: toPostgres.totalCount > 0 ? LatencyRecord(span: .endToEnd, histogram: toPostgres) : nil,
            toMQTT: toMQTT.totalCount > 0 ? LatencyRecord(span: .endToEnd, histogram: toMQTT) : nil,
            timeline: timeline
        )
    }

    /// The last sensor event of the scenario for this kind and house at or before `t` seconds.
    static func cause(of kind: String, house: Int, before t: Double, in events: [ScenarioEvent]) -> ScenarioEvent? {
        events.last { event in
            guard case .sensor(let trigger) = event.action else { return false }
            return trigger.kind.rawValue == kind && trigger.houses.contains(house) && event.at.secondsValue <= t
        }
    }

    struct RecordedAlarm {
        var house: Int
        var sensor: Int
        var kind: String
        var alarm: String
        var raised: Bool
        var seq: Int64
        /// ns since the epoch.
        var recordedAt: Int64
    }

    /// The rows the subscriber wrote since the run started.
    static func recordedAlarms(postgresURL: String, since start: Int64) async throws -> [RecordedAlarm] {
        let pool = PostgresPool(url: postgresURL, size: 1)
        defer { Task { await pool.close() } }
        let startMicroseconds = Int(start / 1000)
        let rows = try await pool.withConnection { connection in
            try await connection.query("""
                SELECT house_id, sensor_id, kind, alarm, state, seq, (extract(epoch FROM recorded_at) * 1000000)::bigint
                FROM alarms WHERE recorded_at >= to_timestamp(\(startMicroseconds)::bigint / 1000000.0)
                ORDER BY recorded_at
                """)
        }
        return try rows.map { row in
            RecordedAlarm(
                house: try row.decode(Int.self, column: 0), sensor: try row.decode(Int.self, column: 1),
                kind: try row.decode(String.self, column: 2), alarm: try row.decode(String.self, column: 3),
                raised: try row.decode(String.self, column: 4) == "raised", seq: try row.decode(Int64.self, column: 5),
                recordedAt: try row.decode(Int64.self, column: 6) * 1000
            )
        }
    }
}
