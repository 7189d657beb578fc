import Scenario
import SensorKit

/// The latest keys of an estate in the order capacity runs write them:
/// sensor id order, house by house, as the estate numbers them (houses 1...H
/// in group order, sensors 1...S house by house). Past the estate's last
/// sensor it goes on with the same house groups again under new house and
/// sensor numbers, so a verification run can fill Redis to its limit even
/// when the whole estate fits.
struct EstateKeyspace: Sendable {
    struct Slot: Sendable, Equatable {
        var house: Int
        var sensor: Int
        /// Index into ``kinds``.
        var kindIndex: Int

        var key: String { LatestKey.name(house: house, sensor: sensor) }
        var keyLength: Int { LatestKey.length(house: house, sensor: sensor) }
    }

    let groups: [(count: Int, kinds: [Int])]
    /// The distinct kinds, in the order first met.
    let kinds: [SensorKind]
    let sensorCount: Int
    let houseCount: Int

    init(estate: Estate) {
        var kinds: [SensorKind] = []
        var groups: [(Int, [Int])] = []
        for group in estate.houseGroups where group.count > 0 && !group.sensors.isEmpty {
            let indices = group.sensors.map { spec in
                if let index = kinds.firstIndex(of: spec.kind) { return index }
                kinds.append(spec.kind)
                return kinds.count - 1
            }
            groups.append((group.count, indices))
        }
        self.groups = groups
        self.kinds = kinds
        sensorCount = estate.sensorCount
        houseCount = estate.houseCount
    }

    /// Calls `body` for the first `limit` slots (beyond the estate if
    /// `limit` exceeds it); `body` returns false to stop early.
    func forEach(limit: Int, _ body: (Slot) throws -> Bool) rethrows {
        var cursor = makeCursor()
        for _ in 0 ..< limit {
            guard let slot = cursor.next(), try body(slot) else { return }
        }
    }

    func makeCursor() -> Cursor { Cursor(groups: groups) }

    /// Walks the slots in fill order, without end (nil only for an empty estate).
    struct Cursor: Sendable {
        let groups: [(count: Int, kinds: [Int])]
        private var group = 0
        private var houseInGroup = 0
        private var sensorInHouse = 0
        private var house = 1
        private var sensor = 0

        init(groups: [(count: Int, kinds: [Int])]) {
            self.groups = groups
        }

        mutating func next() -> Slot? {
            guard !groups.isEmpty else { return nil }
            if sensorInHouse == groups[group].kinds.count {
                sensorInHouse = 0
                house += 1
                houseInGroup += 1
                if houseInGroup == groups[group].count {
                    houseInGroup = 0
                    group = (group + 1) % groups.count
                }
            }
            sensor += 1
            defer { sensorInHouse += 1 }
            return Slot(house: house, sensor: sensor, kindIndex: groups[group].kinds[sensorInHouse])
        }
    }

    /// The shortest and longest key among the first `limit` slots.
    func keyLengths(limit: Int) -> ClosedRange<Int> {
        guard !groups.isEmpty, limit > 0 else { return LatestKey.length(house: 1, sensor: 1) ... LatestKey.length(house: 1, sensor: 1) }
        let sensorsPerRound = max(1, sensorCount)
        let rounds = (limit + sensorsPerRound - 1) / sensorsPerRound
        let lastHouse = rounds * max(1, houseCount)
        return LatestKey.length(house: 1, sensor: 1) ... LatestKey.length(house: lastHouse, sensor: rounds * sensorsPerRound)
    }
}

extension LatestKey {
    /// The key's length without building it: `house:{` `}:sensor:` `:latest` are 23 characters.
    static func length(house: Int, sensor: Int) -> Int {
        23 + digits(house) + digits(sensor)
    }

    /// A key of exactly `length` characters in the contract's shape (for
    /// measuring what a key of that length costs).
    static func probe(length: Int, tag: Int) -> String? {
        let sensorDigits = length - 23 - 1
        guard sensorDigits >= 1, sensorDigits <= 18 else { return nil }
        var sensor = 1
        for _ in 1 ..< sensorDigits { sensor *= 10 }
        return name(house: tag % 10, sensor: sensor + tag % sensor)
    }

    static func digits(_ value: Int) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
