import Fernet
import Foundation
import SensorCatalog
import SensorKit

/// One real Fernet token per sensor kind: a reading from the kind's own
/// plugin, encoded as the wire payload and encrypted, so capacity figures
/// use the value sizes the subscriber will store (tokens differ in length by
/// kind because payloads do).
struct SampleTokens: Sendable {
    var tokens: [[UInt8]]
    var plaintextSizes: [Int]

    /// - Parameter identity: ids with as many digits as the estate's largest,
    ///   so payloads are not shorter than the real ones.
    init(kinds: [SensorKind], catalog: SensorCatalog, house: Int, sensor: Int, seed: UInt64) throws {
        let fernet = try Fernet(key: try FernetKey.generate())
        var tokens: [[UInt8]] = []
        var sizes: [Int] = []
        for kind in kinds {
            guard let plugin = catalog.plugin(for: kind) else {
                throw CapacityError("no sensor plugin for kind '\(kind)'; see `hearth plugins list`")
            }
            let payload = try Self.payload(plugin, house: house, sensor: sensor, seed: seed)
            tokens.append(try fernet.encrypt(payload))
            sizes.append(payload.count)
        }
        self.tokens = tokens
        plaintextSizes = sizes
    }

    /// The first reading the device makes, stepping forward in time for
    /// devices that only report on change or on their heartbeat.
    private static func payload(_ plugin: AnySensorPlugin, house: Int, sensor: Int, seed: UInt64) throws -> [UInt8] {
        let group = plugin.makeGroup()
        let start = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970.rounded(.down))
        let index = group.addSensor(seed: seed, stream: UInt64(sensor), at: start)
        let identity = SensorIdentity(houseID: house, sensorID: sensor, name: "\(plugin.descriptor.displayName) \(sensor)")
        var now = start
        for _ in 0 ..< 10_000 {
            if let reading = group.nextReading(index, at: now, identity: identity) {
                return try plugin.descriptor.encode(reading)
            }
            now = max(now.adding(seconds: 1), group.nextDue(index))
        }
        throw CapacityError("the \(plugin.kind) plugin produced no reading in 10,000 steps")
    }
}
