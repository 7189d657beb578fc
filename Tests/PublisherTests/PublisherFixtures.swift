import Fernet
import Scenario
import SensorKit
@testable import Publisher

/// Scenarios and keys for the publisher tests, written as scenario files are.
enum PublisherFixtures {
    /// A scenario from YAML; `load` and `estate` are the only parts the tests vary.
    static func scenario(
        estate: String,
        load: String = "{ rate: 100/s, duration: 2s, qos: 0, transport: mqtt }",
        events: String = "[]",
        seed: UInt64 = 7
    ) throws -> Scenario {
        try Scenario.parse(yaml: """
            version: 1
            name: publisher-test
            seed: \(seed)
            estate: \(estate)
            load: \(load)
            events: \(events)
            """, file: "publisher-test.yaml")
    }

    /// A keyring in memory with one fresh key for each of `owners` owners.
    static func keyring(owners: Int) throws -> Keyring {
        var keys: [Int: [FernetKey]] = [:]
        for owner in 1 ... owners { keys[owner] = [try FernetKey.generate()] }
        return Keyring(keysByOwner: keys)
    }
}
