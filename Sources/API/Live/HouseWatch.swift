import Foundation
import Logging
import NIOConcurrencyHelpers
import Postgres

/// Watches one house for as long as a dashboard has it open, and streams
/// what changes.
///
/// The source of change is the one the `/data` route already trusts: once
/// a second, one `MGET` of the house's latest keys in Redis and one
/// aggregate over its alarm rows in PostgreSQL, whatever the load.
/// Subscribing to the readings on MQTT instead would make the API decrypt
/// every reading of every house during a load run to show a handful of
/// tiles. The subscriber's alarm announcements on `houses/{h}/alarms` (see
/// ``AlarmAnnouncementListener``) only wake the watch early, so an alarm
/// reaches the page without waiting for the next tick.
///
/// One watch serves every page open on the house: each poll and each JSON
/// encoding is done once, then fanned out (``EventFanOut``, disconnecting a
/// page that falls 64 events behind). The watch ends at the first tick
/// with no page open.
final class HouseWatch: Sendable {
    let house: Int
    let events = EventFanOut<ServerSentEvent>(buffer: 64, overflow: .disconnect)
    private let latest = NIOLockedValueBox<HouseSnapshot?>(nil)
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// How often the sensor list is read again (new or deleted sensors).
    private static let sensorRefreshTicks = 15
    /// Alarms in the `alarms` event: active ones, and the timeline.
    private static let activeLimit = 20
    private static let timelineLimit = 30

    init(house: Int) {
        self.house = house
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The events that bring a newly opened page up to date; empty before
    /// the first poll (which then reaches the page as ordinary events).
    var currentEvents: [ServerSentEvent] {
        latest.withLockedValue { $0?.fullEvents ?? [] }
    }

    /// Polls now rather than at the next tick.
    func poke() {
        wake.yield()
    }

    /// Ends ``run(services:interval:isIdle:)``.
    func stop() {
        wake.finish()
        events.finishAll()
    }

    /// Polls every `interval` and on each ``poke()``, until `isIdle` says no
    /// page is left or ``stop()`` is called.
    func run(services: APIServices, interval: Duration, isIdle: @Sendable () -> Bool) async {
        let wake = wake
        let ticker = Task {
            while !Task.isCancelled {
                wake.yield()
                try? await Task.sleep(for: interval)
            }
        }
        defer { ticker.cancel() }
        var poller = Poller(house: house, services: services)
        var tick = 0
        var failing = false
        for await _ in wakeUps {
            if isIdle() { break }
            do {
                guard let next = try await poller.poll(refreshSensors: tick % Self.sensorRefreshTicks == 0) else {
                    events.publish(ServerSentEvent(name: "gone", json: Array(#"{"reason":"the house no longer exists"}"#.utf8)))
                    break
                }
                publish(next)
                failing = false
            } catch {
                if !failing { services.logger.warning("dashboard cannot read the house", metadata: ["house": "\(house)", "error": "\(error)"]) }
                failing = true
            }
            tick += 1
            if tick % 15 == 0 { events.publish(.keepAlive) }
        }
        stop()
    }

    /// Stores `next` before sending what changed: a page that opens in
    /// between gets the new state and then a harmless repeat, never an old
    /// state without the change.
    private func publish(_ next: HouseSnapshot) {
        let previous = latest.withLockedValue { latest in
            defer { latest = next }
            return latest
        }
        if let changes = next.sensorChanges(since: previous) {
            events.publish(ServerSentEvent(name: "sensors", writing: changes))
        }
        if let alarms = next.alarms, previous?.alarmsVersion != next.alarmsVersion {
            events.publish(ServerSentEvent(name: "alarms", encoding: alarms))
        }
    }

    /// The reads of one tick, with what it remembers between them.
    private struct Poller {
        let house: Int
        let services: APIServices
        var owner: Int?
        var sensors: [SensorRecord] = []
        var alarms: (version: AlarmsVersion, list: HouseAlarms)?

        init(house: Int, services: APIServices) {
            self.house = house
            self.services = services
        }

        /// The house now; nil if it no longer exists.
        mutating func poll(refreshSensors: Bool) async throws -> HouseSnapshot? {
            let house = house
            let known = alarms
            let (exists, version, list, refreshed) = try await services.withDatabase { db in
                let refreshed = refreshSensors ? try await Self.sensors(of: house, db) : nil
                if refreshSensors && refreshed == nil { return (false, AlarmsVersion(), nil as HouseAlarms?, refreshed) }
                let version = try await AlarmsVersion(house: house, db)
                let list = known?.version == version ? nil : try await Self.alarms(of: house, db)
                return (true, version, list, refreshed)
            }
            guard exists else { return nil }
            if let refreshed { (owner, sensors) = refreshed }
            if let list { alarms = (version, list) }
            let data = try await services.latestReadings.read(house: house, owner: owner, sensors: sensors)
            var snapshot = HouseSnapshot()
            snapshot.readAt = data.readAt
            snapshot.sensorOrder = data.sensors.map(\.sensorID)
            snapshot.sensors = Dictionary(uniqueKeysWithValues: data.sensors.map { ($0.sensorID, $0) })
            snapshot.alarms = alarms?.list
            snapshot.alarmsVersion = alarms?.version
            return snapshot
        }

        /// The key owner and sensors; nil if the house is gone.
        static func sensors(of house: Int, _ db: PostgresConnection) async throws -> (owner: Int?, sensors: [SensorRecord])? {
            let rows = try await db.query("""
                SELECT h.owner_id, s.id, s.name, s.kind, s.appliance_id
                FROM houses h LEFT JOIN sensors s ON s.house_id = h.id
                WHERE h.id = \(house)
                ORDER BY s.id
                """)
            guard let first = rows.first else { return nil }
            return (try first.decode(Int?.self, column: 0), try SensorRecord.list(rows, from: 1))
        }

        static func alarms(of house: Int, _ db: PostgresConnection) async throws -> HouseAlarms {
            let store = AlarmStore(connection: db)
            return HouseAlarms(
                active: Array(try await store.active(house: house, Pagination(limit: activeLimit, offset: 0)).prefix(activeLimit)),
                recent: Array(try await store.history(house: house, Pagination(limit: timelineLimit, offset: 0)).prefix(timelineLimit))
            )
        }
    }
}

/// Changes whenever an alarm of the house is written or acknowledged: one
/// aggregate over the house's alarm rows, so the lists are read only when
/// something happened.
struct AlarmsVersion: Sendable, Equatable {
    var count = 0
    var lastID = 0
    var lastAcknowledgement: Date?

    init() {}

    init(house: Int, _ db: PostgresConnection) async throws {
        guard let row = try await db.query("""
            SELECT count(*)::bigint, coalesce(max(id), 0)::bigint, max(acknowledged_at)
            FROM alarms WHERE house_id = \(house)
            """).first else { return }
        count = try row.decode(Int.self, column: 0)
        lastID = try row.decode(Int.self, column: 1)
        lastAcknowledgement = try row.decode(Date?.self, column: 2)
    }
}
