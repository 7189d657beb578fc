import SensorKit

/// Whether someone is in the room and when they move: a two-level process.
///
/// Arrivals are a Poisson process whose rate depends on the hour (people are
/// in kitchens at breakfast and dinner, rarely at 3 am); each visit lasts
/// minutes; during a visit, movement comes in bursts of 2-20 s separated by
/// pauses of about 45 s. All times are absolute, so the result does not
/// depend on how often the sensor is polled. 40 bytes.
struct Occupancy: Sendable, BitwiseCopyable {
    var nextArrival: Timestamp
    var occupiedUntil: Timestamp
    var burstStart: Timestamp
    var burstEnd: Timestamp
    var nextBurst: Timestamp

    init(start: Timestamp, random: inout SeededRandom) {
        let past = start.adding(seconds: -1)
        nextArrival = start
        occupiedUntil = past
        burstStart = past
        burstEnd = past
        nextBurst = past
        nextArrival = Self.arrival(after: start, random: &random)
    }

    /// Mean time between arrivals, by hour of day (UTC).
    static func meanGap(at time: Timestamp) -> Double {
        switch Physics.hour(time) {
        case 0..<6: return 4 * 3600
        case 6..<9: return 20 * 60
        case 9..<17: return 90 * 60
        case 17..<23: return 15 * 60
        default: return 60 * 60
        }
    }

    static func arrival(after time: Timestamp, random: inout SeededRandom) -> Timestamp {
        time.adding(seconds: random.exponential(mean: meanGap(at: time)))
    }

    func isOccupied(at time: Timestamp) -> Bool { time < occupiedUntil }

    /// Movement at `time`, counting `hold` seconds after a burst as still moving.
    func isMoving(at time: Timestamp, hold: Double) -> Bool {
        time >= burstStart && time <= burstEnd.adding(seconds: hold)
    }

    /// Someone arrives at `time` and stays `seconds`; they start moving at once.
    mutating func arrive(at time: Timestamp, staying seconds: Double, random: inout SeededRandom) {
        occupiedUntil = max(occupiedUntil, time.adding(seconds: seconds))
        startBurst(at: time, random: &random)
    }

    private mutating func startBurst(at time: Timestamp, random: inout SeededRandom) {
        burstStart = time
        burstEnd = time.adding(seconds: random.uniform(2...20))
        nextBurst = burstEnd.adding(seconds: random.exponential(mean: 45))
    }

    /// Plays arrivals and bursts forward to `now`, in time order.
    mutating func advance(to now: Timestamp, random: inout SeededRandom) {
        // After a long gap, replaying days of visits would change nothing visible.
        if now.seconds(since: nextArrival) > 86_400 {
            nextArrival = Self.arrival(after: now.adding(seconds: -3600), random: &random)
        }
        while true {
            let occupied = nextBurst < occupiedUntil
            let next = occupied ? min(nextBurst, nextArrival) : nextArrival
            guard next <= now else { return }
            if occupied, nextBurst <= nextArrival {
                startBurst(at: nextBurst, random: &random)
            } else {
                arrive(at: nextArrival, staying: random.uniform(5 * 60...45 * 60), random: &random)
                nextArrival = Self.arrival(after: max(nextArrival, occupiedUntil), random: &random)
            }
        }
    }
}
