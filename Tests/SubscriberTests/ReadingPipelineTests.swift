import Fernet
import Logging
import MQTT
import SensorCatalog
import SensorKit
@testable import Subscriber
import Testing

/// The pipeline on its own: every refusal reason, sequence handling and
/// alarm transitions, with keys in memory and no server.
@Suite("Reading pipeline")
struct ReadingPipelineTests {
    let keys: Keyring
    let estate: EstateSnapshot
    let pipeline: ReadingPipeline

    init() throws {
        keys = Keyring(keysByOwner: [1: [try FernetKey.generate()], 2: [try FernetKey.generate()]])
        var estate = EstateSnapshot()
        estate.version = 1
        estate.owners = [1: 1, 2: 2, 3: Int?.none]
        estate.sensors = [11: .init(houseID: 1, kind: .fireCO), 21: .init(houseID: 2, kind: .fireCO),
                          31: .init(houseID: 3, kind: .fireCO), 12: .init(houseID: 1, kind: .leak)]
        self.estate = estate
        pipeline = ReadingPipeline(catalog: .builtIn, keys: KeyringWatcher(keyring: keys, logger: Logger(label: "test")),
                                   replayWindow: .seconds(300), maxClockSkew: .seconds(60), maxPayloadBytes: 64 * 1024)
    }

    private func message(_ topic: String, _ payload: [UInt8]) -> MQTTMessage {
        MQTTMessage(topic: topic, payload: payload)
    }

    private func valid(house: Int = 1, sensor: Int = 11, seq: UInt64, burning: Bool = false, owner: Int = 1) -> MQTTMessage {
        let reading = TestReadings.fireCO(house: house, sensor: sensor, seq: seq, burning: burning)
        return message("houses/\(house)/sensors/\(sensor)", TestReadings.token(reading, keys: keys, owner: owner))
    }

    private func run(_ messages: [MQTTMessage], final: Bool = true) -> PipelineOutcome {
        pipeline.process(messages, estate: estate, missesAreFinal: final, now: 0)
    }

    @Test("every kind of bad input is refused with its own reason")
    func refusals() throws {
        let good = TestReadings.fireCO(house: 1, sensor: 11, seq: 1)
        let owner1 = try keys.multiFernet(forOwner: 1)
        var tampered = TestReadings.token(good, keys: keys, owner: 1)
        tampered[60] = tampered[60] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let expiredCipher = try MultiFernet(keys: keys.keys(forOwner: 1), clock: .fixed(at: FernetClock.system.now() - 3600))
        let futureCipher = try MultiFernet(keys: keys.keys(forOwner: 1), clock: .fixed(at: FernetClock.system.now() + 3600))
        let cases: [(MQTTMessage, DeadLetterReason)] = [
            (message("houses/1/sensors/11", [UInt8](repeating: 65, count: 64 * 1024 + 1)), .tooLarge),
            (message("houses/1/alarms", TestReadings.token(good, keys: keys, owner: 1)), .badTopic),
            (message("houses/9/sensors/11", TestReadings.token(good, keys: keys, owner: 1)), .unknownHouse),
            (message("houses/1/sensors/99", TestReadings.token(good, keys: keys, owner: 1)), .unknownSensor),
            (message("houses/1/sensors/21", TestReadings.token(good, keys: keys, owner: 1)), .unknownSensor),
            (message("houses/3/sensors/31", TestReadings.token(good, keys: keys, owner: 1)), .noKey),
            (message("houses/1/sensors/11", Array("not a token!".utf8)), .badBase64),
            (message("houses/1/sensors/11", Array("AAAA".utf8)), .badToken),
            (message("houses/1/sensors/11", tampered), .badHMAC),
            (message("houses/1/sensors/11", TestReadings.token(good, keys: keys, owner: 2)), .badHMAC),
            (message("houses/1/sensors/11", try expiredCipher.encrypt(TestReadings.payload(good))), .expired),
            (message("houses/1/sensors/11", try futureCipher.encrypt(TestReadings.payload(good))), .fromFuture),
            (message("houses/1/sensors/11", try owner1.encrypt([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])), .invalidUTF8),
            (message("houses/1/sensors/11", try owner1.encrypt(Array("{\"a\":".utf8))), .invalidJSON),
            (message("houses/1/sensors/11", try owner1.encrypt(Array("{}".utf8))), DeadLetterReason(rawValue: "parse.missing_key")),
            (message("houses/2/sensors/21", TestReadings.token(TestReadings.fireCO(house: 2, sensor: 11, seq: 1), keys: keys, owner: 2)), .topicMismatch),
            (message("houses/1/sensors/12", TestReadings.token(TestReadings.fireCO(house: 1, sensor: 12, seq: 1), keys: keys, owner: 1)), .kindMismatch),
        ]
        let outcome = run(cases.map(\.0))
        #expect(outcome.deadLetters.map(\.reason) == cases.map(\.1))
        #expect(outcome.accepted.isEmpty && outcome.transitions.isEmpty)
        // Nothing was recorded for sensor 11, so a valid reading afterwards is its first.
        #expect(run([valid(seq: 1)]).accepted.map(\.seq) == [1])
    }

    @Test("an out-of-range value is refused with the catalogue's code")
    func outOfRange() throws {
        let payload = TestReadings.payload(TestReadings.fireCO(house: 1, sensor: 11, seq: 0))
        guard case .object(let members) = try JSONParser.parse(payload) else { Issue.record("payload is not an object"); return }
        let edited = JSONValue.object(members.map { $0.key == "co_detection" ? JSONMember($0.key, .integer(5000)) : $0 })
        var writer = JSONWriter()
        writer.value(edited)
        let token = try keys.multiFernet(forOwner: 1).encrypt(writer.bytes)
        #expect(run([message("houses/1/sensors/11", token)]).deadLetters.map(\.reason) == [DeadLetterReason(rawValue: "invalid.out_of_range")])
    }

    @Test("duplicates and late readings are told apart; only new ones become latest")
    func sequences() {
        let outcome = run([valid(seq: 5), valid(seq: 5), valid(seq: 7), valid(seq: 6), valid(seq: 6)])
        #expect(outcome.accepted.map(\.seq) == [5, 7, 6])
        #expect(outcome.accepted.map(\.isLatest) == [true, true, false])
        #expect(outcome.outOfOrder == 1)
        #expect(outcome.deadLetters.map(\.reason) == [.duplicate, .duplicate])
    }

    @Test("alarms are raised and cleared once, by the newest reading only")
    func alarms() {
        let raised = run([valid(seq: 1), valid(seq: 2, burning: true), valid(seq: 3, burning: true)])
        #expect(raised.transitions.map(\.state) == [.raised, .raised])
        #expect(raised.transitions.allSatisfy { $0.seq == 2 && $0.sensorID == 11 && $0.houseID == 1 })
        // A late non-burning reading does not clear anything.
        let late = run([valid(seq: 0)])
        #expect(late.transitions.isEmpty && late.outOfOrder == 1)
        let cleared = run([valid(seq: 4)])
        #expect(Set(cleared.transitions.map(\.alarm)) == ["co", "smoke"] && cleared.transitions.allSatisfy { $0.state == .cleared })
    }

    @Test("misses wait for a refresh unless final")
    func misses() {
        let outcome = run([message("houses/9/sensors/91", [1, 2, 3]), valid(seq: 1)], final: false)
        #expect(outcome.missed == [0] && outcome.deadLetters.isEmpty && outcome.accepted.count == 1)
        #expect(outcome.missedEstate && outcome.missedOwners.isEmpty)
        // A house without an owner may get one: that too waits for the estate.
        let ownerless = run([valid(house: 3, sensor: 31, seq: 1)], final: false)
        #expect(ownerless.missed == [0] && ownerless.missedEstate && ownerless.missedOwners.isEmpty)
    }

    @Test("a token no loaded key opens waits for a look at its owner's key file; no estate refresh is asked for")
    func badHMACIsAMissUntilFinal() throws {
        let stranger = Keyring(keysByOwner: [1: [try FernetKey.generate()]])
        let forged = message("houses/1/sensors/11", TestReadings.token(TestReadings.fireCO(house: 1, sensor: 11, seq: 1), keys: stranger, owner: 1))
        let first = run([forged, valid(house: 2, sensor: 21, seq: 1, owner: 2)], final: false)
        #expect(first.missed == [0] && first.deadLetters.isEmpty && first.accepted.count == 1)
        #expect(!first.missedEstate && first.missedOwners == [1])
        #expect(run([forged]).deadLetters.map(\.reason) == [.badHMAC])
    }
}
