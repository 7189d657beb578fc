import Fernet
import Foundation
import MQTT
import SensorCatalog
import SensorKit
import Stack
@testable import Publisher

/// Runs `body` against a fresh embedded stack on free ports and always stops it.
func withStack<T>(
    _ services: Set<StackService>,
    configure: (inout StackConfiguration) -> Void = { _ in },
    _ body: (EmbeddedStack) async throws -> T
) async throws -> T {
    var configuration = StackConfiguration(services: services)
    configure(&configuration)
    return try await EmbeddedStack.withRunning(configuration, body)
}

/// The receiving end of the integration tests: a plain MQTT client that
/// decrypts every reading with its owner's key and keeps (sensor, seq)
/// bookkeeping, so that a test can say exactly what was lost or duplicated.
final class ReadingReceiver: @unchecked Sendable {
    let client: MQTTClient
    private let keyring: Keyring
    private let layout: EstateLayout
    private let lock = NSLock()
    private var ledger = SequenceLedger()
    private var problems: [String] = []
    private var consumer: Task<Void, Never>?

    init(url: String, clientID: String, cleanSession: Bool, keyring: Keyring, layout: EstateLayout) throws {
        var configuration = try MQTTConfiguration(url: url, clientID: clientID)
        configuration.cleanSession = cleanSession
        client = try MQTTClient(configuration)
        self.keyring = keyring
        self.layout = layout
    }

    func start(qos: MQTTQoS) async throws {
        try await client.connect()
        try await client.subscribe("houses/+/sensors/+", qos: qos)
        consumer = Task { [self] in
            var ciphers: [Int: MultiFernet] = [:]
            for await batch in client.messages.batches() {
                for message in batch { handle(message, ciphers: &ciphers) }
            }
        }
    }

    private func handle(_ message: MQTTMessage, ciphers: inout [Int: MultiFernet]) {
        let parts = message.topic.split(separator: "/")
        guard parts.count == 4, let house = Int(parts[1]), let sensor = Int(parts[3]) else {
            return record(problem: "unexpected topic \(message.topic)")
        }
        let owner = layout.owner(ofHouse: house)
        do {
            if ciphers[owner] == nil { ciphers[owner] = try keyring.multiFernet(forOwner: owner) }
            let plaintext = try ciphers[owner]!.decrypt(Array(message.payload))
            let reading = try SensorCatalog.builtIn.decode(payload: plaintext)
            guard reading.houseID == house, reading.sensorID == sensor else {
                return record(problem: "reading of sensor \(reading.sensorID) in house \(reading.houseID) on \(message.topic)")
            }
            lock.withLock { ledger.record(sensor: sensor, seq: reading.seq) }
        } catch {
            record(problem: "\(message.topic): \(error)")
        }
    }

    private func record(problem: String) {
        lock.withLock { problems.append(problem) }
    }

    var snapshot: (ledger: SequenceLedger, problems: [String]) { lock.withLock { (ledger, problems) } }

    /// Waits until `count` distinct readings arrived, or `seconds` pass.
    func waitForDistinct(_ count: Int, seconds: Double) async {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if snapshot.ledger.distinct >= count { return }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    func stop() async {
        await client.disconnect()
        await consumer?.value
    }
}

/// Which (sensor, seq) pairs arrived, and how often.
struct SequenceLedger: Sendable {
    private(set) var seen: [Int: Set<UInt64>] = [:]
    private(set) var distinct = 0
    private(set) var duplicates = 0

    mutating func record(sensor: Int, seq: UInt64) {
        if seen[sensor, default: []].insert(seq).inserted { distinct += 1 } else { duplicates += 1 }
    }

    /// The readings of `expected` that never arrived.
    func missing(from expected: [Int: Set<UInt64>]) -> Int {
        expected.reduce(0) { total, entry in total + entry.value.subtracting(seen[entry.key] ?? []).count }
    }
}

/// The readings a publisher's observer saw go out, by sensor.
final class SentLedger: PublisherObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [Int: Set<UInt64>] = [:]
    private var count = 0

    func publisher(didSend batch: SentBatch) {
        lock.withLock {
            for reading in batch.readings {
                sent[reading.sensorID, default: []].insert(reading.seq)
                count += 1
            }
        }
    }

    var bySensor: [Int: Set<UInt64>] { lock.withLock { sent } }
    var total: Int { lock.withLock { count } }
}
