import Fernet
import Reports
import SensorCatalog
import SensorKit

/// What Fernet costs per message for each kind of the run, measured in the
/// run's own process with the run's own keys: real payloads of each kind
/// (from its plugin, encoded as the publisher encodes them) encrypted and
/// decrypted in a tight loop after the load has stopped, so the figure is
/// the cipher's and not the machine's load. The token size against the
/// plaintext size comes from the same payloads.
enum FernetCalibration {
    static func measure(
        kinds: [SensorKind], catalog: SensorCatalog, keyring: Keyring, owner: Int = 1, messages: Int = 2_000
    ) -> [FernetCost] {
        guard let cipher = try? keyring.multiFernet(forOwner: owner) else { return [] }
        return kinds.compactMap { kind in
            guard let plugin = catalog.plugin(for: kind) else { return nil }
            let payloads = Self.payloads(of: plugin, count: messages)
            guard !payloads.isEmpty else { return nil }
            let clock = ContinuousClock()
            var tokens: [[UInt8]] = []
            tokens.reserveCapacity(payloads.count)
            let encryptTime = clock.measure {
                for payload in payloads {
                    if let token = try? cipher.encrypt(payload) { tokens.append(token) }
                }
            }
            var decrypted = 0
            let decryptTime = clock.measure {
                for token in tokens where (try? cipher.decrypt(token)) != nil { decrypted += 1 }
            }
            guard !tokens.isEmpty, decrypted == tokens.count else { return nil }
            let count = Double(tokens.count)
            return FernetCost(
                kind: kind.rawValue, messages: tokens.count,
                encryptMicroseconds: microseconds(encryptTime) / count, decryptMicroseconds: microseconds(decryptTime) / count,
                plaintextBytes: Double(payloads.reduce(0) { $0 + $1.count }) / Double(payloads.count),
                tokenBytes: Double(tokens.reduce(0) { $0 + $1.count }) / count
            )
        }
    }

    /// `count` encoded readings of sixteen simulated sensors of the plugin's kind.
    static func payloads(of plugin: AnySensorPlugin, count: Int) -> [[UInt8]] {
        let group = plugin.makeGroup()
        let start = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)
        let sensors = (0 ..< 16).map { group.addSensor(seed: 1, stream: UInt64($0 + 1), at: start) }
        var payloads: [[UInt8]] = []
        payloads.reserveCapacity(count)
        var attempts = 0
        while payloads.count < count && attempts < count * 4 {
            let sensor = sensors[attempts % sensors.count]
            attempts += 1
            let due = max(group.nextDue(sensor).nanosecondsSinceEpoch, start.nanosecondsSinceEpoch + Int64(attempts) * 1_000_000_000)
            let identity = SensorIdentity(houseID: 1, sensorID: sensor + 1, name: plugin.kind.rawValue)
            guard let reading = group.nextReading(sensor, at: Timestamp(nanosecondsSinceEpoch: due), identity: identity),
                  let payload = try? group.descriptor.encode(reading) else { continue }
            payloads.append(payload)
        }
        return payloads
    }

    private static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}
