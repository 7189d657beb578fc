import BlockingIO
import Fernet
import MQTT
import Publisher
import SensorKit
import Subscriber

/// The run's own ears when a subscriber outside the run stores the readings
/// (`hearth run --subscriber external`, and every `--shard`): a second MQTT
/// subscription to `houses/+/sensors/+` that decrypts each reading with the
/// owners' keys, reads its sensor, `seq` and `sent_at_ns`, and hands them to
/// ``RunMeasurements`` as if stored on arrival.
///
/// What it cannot see is the external subscriber's Redis write, so in this
/// mode end-to-end latency ends at delivery to the tap, and the report says
/// so. A shard's tap counts only its own houses: the other shards count theirs.
final class ReadingTap: Sendable {
    private let client: MQTTClient
    private let listener = Mutex()
    private nonisolated(unsafe) var task: Task<Void, Never>?

    private init(client: MQTTClient) {
        self.client = client
    }

    static func start(
        mqttURL: String, clientID: String, qos: Int, keyring: Keyring, layout: EstateLayout,
        shard: LoadShard?, measurements: RunMeasurements
    ) async throws -> ReadingTap {
        let client = try await MQTTClient.runListener(
            url: mqttURL, clientID: clientID, filter: "houses/+/sensors/+", qos: MQTTQoS(rawValue: qos) ?? .atLeastOnce
        )
        let tap = ReadingTap(client: client)
        let decoder = TapDecoder(keyring: keyring, layout: layout, shard: shard)
        let task = Task {
            for await batch in client.messages.batches() {
                let receivedAt = SystemPublisherClock().wallNanoseconds()
                var readings: [StoredReading] = []
                readings.reserveCapacity(batch.count)
                var refused = 0
                for message in batch {
                    switch decoder.decode(topic: message.topic, payload: message.payload) {
                    case .reading(let reading): readings.append(reading)
                    case .otherShard: continue
                    case .refused: refused += 1
                    }
                }
                guard !readings.isEmpty || refused > 0 else { continue }
                measurements.subscriberDidStore(StoredBatch(
                    transport: .mqtt, receivedAtNanoseconds: receivedAt, storedAtNanoseconds: receivedAt,
                    readings: readings, outOfOrder: 0, deadLettered: refused, duplicates: 0
                ))
            }
        }
        tap.listener.withLock { tap.task = task }
        return tap
    }

    func stop() async {
        await client.disconnect()
        let running = listener.withLock { task }
        running?.cancel()
        await running?.value
    }
}

/// Topic and token to (sensor, seq, sent_at_ns), with a cipher per owner.
final class TapDecoder: @unchecked Sendable {
    enum Outcome {
        case reading(StoredReading)
        case otherShard
        /// Not a reading this run can read (bad topic, token or payload).
        case refused
    }

    private let keyring: Keyring
    private let layout: EstateLayout
    private let shard: LoadShard?
    /// Used from the tap's one task only.
    private var ciphers: [Int: MultiFernet] = [:]

    init(keyring: Keyring, layout: EstateLayout, shard: LoadShard?) {
        self.keyring = keyring
        self.layout = layout
        self.shard = shard
    }

    func decode(topic: String, payload: ArraySlice<UInt8>) -> Outcome {
        let parts = topic.split(separator: "/")
        guard parts.count == 4, parts[0] == "houses", parts[2] == "sensors",
              let house = Int(parts[1]), let sensor = Int(parts[3]), house >= 1, house <= layout.houseCount else { return .refused }
        if let shard, !shard.contains(house: house) { return .otherShard }
        let owner = layout.owner(ofHouse: house)
        guard let cipher = ciphers[owner] ?? (try? keyring.multiFernet(forOwner: owner)) else { return .refused }
        ciphers[owner] = cipher
        guard let plaintext = try? cipher.decrypt(Array(payload)), let json = try? JSONParser.parse(plaintext),
              case .integer(let seq)? = json[Reading.Key.seq], case .integer(let sentAt)? = json[Reading.Key.sentAt], seq >= 0 else { return .refused }
        return .reading(StoredReading(houseID: house, sensorID: sensor, seq: UInt64(seq), sentAtNanoseconds: sentAt))
    }
}
