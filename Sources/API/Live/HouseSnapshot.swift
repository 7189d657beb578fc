import Foundation

/// What one house's dashboard shows, as the watcher last read it; the
/// events it streams are the differences between two of these.
struct HouseSnapshot: Sendable {
    /// Sensors by id.
    var sensors: [Int: SensorData] = [:]
    var sensorOrder: [Int] = []
    var readAt = Date(timeIntervalSince1970: 0)
    var alarms: HouseAlarms?
    var alarmsVersion: AlarmsVersion?

    /// The `sensors` event that brings a page holding `previous` up to this
    /// one: only the tiles that changed, plus the ids of all current
    /// sensors so the page drops tiles of deleted ones. Nil when nothing changed.
    func sensorChanges(since previous: HouseSnapshot?) -> SensorChanges? {
        let changed = sensorOrder.compactMap { id -> SensorData? in
            guard let now = sensors[id] else { return nil }
            return previous?.sensors[id].map { Self.sameButOlder($0, now) } == true ? nil : now
        }
        if let previous, changed.isEmpty, previous.sensorOrder == sensorOrder { return nil }
        return SensorChanges(readAt: readAt, sensorIDs: sensorOrder, sensors: changed)
    }

    /// True when `now` is `before` read again later: only `age_seconds`
    /// differs. Ages grow every second, and the page counts them on from
    /// the last value it got, so they alone are no news.
    static func sameButOlder(_ before: SensorData, _ now: SensorData) -> Bool {
        var before = before
        before.ageSeconds = now.ageSeconds
        return before == now
    }

    /// The events that bring a new page up to date: every tile, and the alarms.
    var fullEvents: [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if let changes = sensorChanges(since: nil) { events.append(ServerSentEvent(name: "sensors", writing: changes)) }
        if let alarms { events.append(ServerSentEvent(name: "alarms", encoding: alarms)) }
        return events
    }
}

/// The `sensors` event.
struct SensorChanges: Sendable {
    var readAt: Date
    var sensorIDs: [Int]
    var sensors: [SensorData]
}

/// The `alarms` event: what is active now (for the banner and red tiles)
/// and the latest transitions (for the timeline).
struct HouseAlarms: Encodable, Sendable {
    var active: [Alarm]
    var recent: [Alarm]
}
