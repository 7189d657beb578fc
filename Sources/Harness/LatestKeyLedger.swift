import BlockingIO

/// When each sensor's latest key was last written to Redis, as the
/// subscriber knows it: what the observer checks Redis against to tell an
/// eviction (key gone while still fresh) from an expiry (key gone after its
/// TTL, as designed).
///
/// The subscriber calls ``record(sensor:house:at:)`` once Redis has
/// acknowledged the `SET … EX` (after the pipeline's replies, never before,
/// or the observer would see a key that is merely not written yet as lost).
/// Storage is two flat arrays indexed by sensor id, so a million sensors cost
/// 12 MB and a record is one locked store, cheap enough for the hot path.
public final class LatestKeyLedger: @unchecked Sendable {
    /// Instants are kept as nanoseconds since this origin.
    public let origin: ContinuousClock.Instant
    private let lock = Mutex()
    private var houses: [Int32] = []
    /// 0: never stored.
    private var storedNanoseconds: [Int64] = []
    private var stored = 0

    public init(expectedSensors: Int = 0, origin: ContinuousClock.Instant = .now) {
        self.origin = origin
        houses.reserveCapacity(expectedSensors + 1)
        storedNanoseconds.reserveCapacity(expectedSensors + 1)
    }

    /// Notes that sensor `sensor` of house `house` had its latest key stored at `instant`.
    public func record(sensor: Int, house: Int, at instant: ContinuousClock.Instant = .now) {
        guard sensor >= 0, sensor < Int(Int32.max) else { return }
        let nanoseconds = max(1, (instant - origin).totalNanoseconds)
        lock.withLock {
            if sensor >= storedNanoseconds.count {
                let grown = max(sensor + 1, storedNanoseconds.count * 2)
                houses += repeatElement(0, count: grown - houses.count)
                storedNanoseconds += repeatElement(0, count: grown - storedNanoseconds.count)
            }
            if storedNanoseconds[sensor] == 0 { stored += 1 }
            houses[sensor] = Int32(truncatingIfNeeded: house)
            storedNanoseconds[sensor] = nanoseconds
        }
    }

    /// Sensors whose latest key has been stored at least once.
    public var count: Int { lock.withLock { stored } }

    /// One past the highest sensor id seen.
    var idLimit: Int { lock.withLock { storedNanoseconds.count } }

    /// The last store of `sensor`, if any.
    public func lastStored(sensor: Int) -> Entry? {
        lock.withLock { entry(sensor) }
    }

    /// The entries of the given sensors that have been stored.
    func entries(_ sensors: some Sequence<Int>) -> [Entry] {
        lock.withLock { sensors.compactMap { entry($0) } }
    }

    /// Up to `count` stored sensors picked at random (without repeats).
    func randomEntries(_ count: Int, using random: inout some RandomNumberGenerator) -> [Entry] {
        lock.withLock {
            guard stored > 0, !storedNanoseconds.isEmpty else { return [] }
            let wanted = min(count, stored)
            var picked: Set<Int> = []
            var entries: [Entry] = []
            // Rejection sampling: ids are dense in practice, so few draws miss.
            var draws = 0
            while entries.count < wanted, draws < wanted * 20 {
                draws += 1
                let sensor = Int.random(in: 0 ..< storedNanoseconds.count, using: &random)
                guard let entry = entry(sensor), picked.insert(sensor).inserted else { continue }
                entries.append(entry)
            }
            if entries.count < wanted {
                // Sparse ids ran the draws out: pick the rest from a scan, so
                // the sample always has `wanted` entries.
                let rest = storedNanoseconds.indices.filter { storedNanoseconds[$0] != 0 && !picked.contains($0) }
                entries += rest.shuffled(using: &random).prefix(wanted - entries.count).compactMap(entry)
            }
            return entries
        }
    }

    private func entry(_ sensor: Int) -> Entry? {
        guard sensor >= 0, sensor < storedNanoseconds.count, storedNanoseconds[sensor] != 0 else { return nil }
        return Entry(sensor: sensor, house: Int(houses[sensor]), storedAt: origin + .nanoseconds(storedNanoseconds[sensor]))
    }

    public struct Entry: Sendable, Equatable {
        public var sensor: Int
        public var house: Int
        public var storedAt: ContinuousClock.Instant

        /// `house:{h}:sensor:{s}:latest`.
        public var key: String { LatestKey.name(house: house, sensor: sensor) }
    }
}

/// The contract's key for a sensor's latest reading (DESIGN.md).
public enum LatestKey {
    public static func name(house: Int, sensor: Int) -> String {
        "house:{\(house)}:sensor:\(sensor):latest"
    }
}
