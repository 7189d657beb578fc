import Fernet
import Foundation
import SensorCatalog
import SensorKit

/// Valid readings and tokens, made the way the publisher makes them: a
/// sample through the plugin's ReadingFactory (so alarms follow the declared
/// rules), the descriptor's encoder, and the owner's Fernet key.
enum TestReadings {
    static let fire = SensorCatalog.builtIn.descriptor(for: .fireCO)!

    /// A fire/CO reading; `burning` puts CO and smoke past their alarm thresholds.
    static func fireCO(house: Int, sensor: Int, seq: UInt64, burning: Bool = false,
                       at time: Timestamp = now()) -> Reading {
        let factory = ReadingFactory(descriptor: fire)
        var alarms: AlarmSet = []
        var next = seq
        let sample = SensorSample([
            .number(burning ? 180 : 4), .text(burning ? "High" : "Low"), .number(burning ? 48 : 21), .number(40),
        ])
        var reading = factory.reading(for: sample, alarms: &alarms, seq: &next, identity: SensorIdentity(houseID: house, sensorID: sensor, name: "Sensor \(sensor)"), at: time)
        reading.seq = seq
        return reading
    }

    static func payload(_ reading: Reading) -> [UInt8] {
        try! SensorCatalog.builtIn.descriptor(for: reading.kind)!.encode(reading)
    }

    static func token(_ reading: Reading, keys: Keyring, owner: Int) -> [UInt8] {
        try! keys.multiFernet(forOwner: owner).encrypt(payload(reading))
    }

    static func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
    }
}
