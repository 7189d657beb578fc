import SensorKit

/// The door and its motor: where it is, where it is going, and whether the
/// safety beam has stopped it. Positions are in percent open.
struct GarageDoor: Sendable, BitwiseCopyable {
    enum Motion: Int8, Sendable, BitwiseCopyable {
        case closing = -1, stopped = 0, opening = 1
    }

    var position: Float = 0
    var motion: Motion = .stopped
    /// Percent per second.
    let speed: Float
    /// The motor's clock: the time `position` is valid for.
    var time: Timestamp
    /// Set when the beam is blocked while the door is idle: the next movement
    /// stops half-way.
    var beamBlocked = false
    /// The door was stopped by an obstruction and waits for a command.
    var obstructed = false
    /// When the door last left the fully closed position.
    var leftFloorAt: Timestamp

    init(speed: Float, at start: Timestamp) {
        self.speed = speed
        self.time = start
        self.leftFloorAt = start
    }

    var isClosed: Bool { position <= 0.5 }

    /// A remote or wall-button press: start moving that way (clears a stop).
    mutating func command(_ direction: Motion) {
        obstructed = false
        motion = direction
    }

    /// The safety beam is blocked.
    mutating func obstruct() {
        if motion == .stopped {
            beamBlocked = true
        } else {
            motion = .stopped
            obstructed = true
        }
    }

    /// Moves the door from its clock to `now`.
    mutating func run(until now: Timestamp) {
        defer { time = max(time, now) }
        guard now > time, motion != .stopped else { return }
        let start = position
        let travel = speed * Float(now.seconds(since: time)) * Float(motion.rawValue)
        var end = min(100, max(0, start + travel))
        if beamBlocked, (start - 50) * (end - 50) <= 0, start != 50 {
            end = 50
            motion = .stopped
            obstructed = true
            beamBlocked = false
        }
        if start <= 0.5, end > 0.5 {
            leftFloorAt = time.adding(seconds: Double((0.5 - start) / speed))
        }
        position = end
        if end == 0 || end == 100 { motion = .stopped }
    }
}
