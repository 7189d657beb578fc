import Fernet
import MQTT
import SensorCatalog
import SensorKit

/// Decrypts and validates readings a whole batch at a time, and keeps the
/// per-sensor state that judges them (sequence window, active alarms).
///
/// Pure computation: no I/O, no suspension, so one call handles a batch of
/// thousands without a task or an allocation per message beyond the
/// plaintext and the parsed reading. It holds one ``MultiFernet`` per owner,
/// which are not thread-safe: one pipeline belongs to one consumer at a time
/// (the ``Subscriber`` guards it with a lock when two transports share it).
final class ReadingPipeline {
    private let catalog: SensorCatalog
    private let keys: KeyringWatcher
    private let replayWindow: Duration
    private let maxClockSkew: Duration
    private let maxPayloadBytes: Int
    private var ciphers: [Int: MultiFernet?] = [:]
    private var cipherGeneration = -1
    private var sensors: [Int: SensorProgress] = [:]
    /// Active alarms per sensor as PostgreSQL last recorded them, for sensors
    /// not seen since start-up (so a restart does not raise them again).
    private var recordedAlarms: [Int: [String]]

    struct SensorProgress {
        var window: SequenceWindow
        var alarms: [String]
    }

    init(catalog: SensorCatalog, keys: KeyringWatcher, replayWindow: Duration, maxClockSkew: Duration,
         maxPayloadBytes: Int, recordedAlarms: [Int: [String]] = [:]) {
        self.catalog = catalog
        self.keys = keys
        self.replayWindow = replayWindow
        self.maxClockSkew = maxClockSkew
        self.maxPayloadBytes = maxPayloadBytes
        self.recordedAlarms = recordedAlarms
    }

    /// Judges `indices` of `messages` (all when nil). Messages whose house,
    /// sensor or owner key is missing go to `missed` unless `missesAreFinal`.
    func process<Messages: RandomAccessCollection>(
        _ messages: Messages,
        indices: [Int]? = nil,
        estate: EstateSnapshot,
        missesAreFinal: Bool,
        now: Int64
    ) -> PipelineOutcome where Messages.Element == MQTTMessage, Messages.Index == Int {
        refreshCiphersIfKeysChanged()
        var outcome = PipelineOutcome()
        outcome.accepted.reserveCapacity(indices?.count ?? messages.count)
        for offset in indices ?? Array(0..<messages.count) {
            let message = messages[messages.startIndex + offset]
            let reason: DeadLetterReason
            switch judge(message, index: offset, estate: estate, outcome: &outcome) {
            case .accepted:
                continue
            case .refused(let refusal):
                reason = refusal
            case .missing(let refusal):
                guard missesAreFinal else {
                    outcome.missed.append(offset)
                    continue
                }
                reason = refusal
            }
            outcome.deadLetters.append(DeadLetterSample(topic: message.topicBytes, payload: message.payload, reason: reason, at: now))
        }
        return outcome
    }

    private enum Judgement {
        case accepted
        case refused(DeadLetterReason)
        /// Refused for a house, sensor or key that a newer snapshot or key
        /// folder may have (a bad HMAC too: the key may have been rotated).
        case missing(DeadLetterReason)
    }

    private func judge(_ message: MQTTMessage, index: Int, estate: EstateSnapshot, outcome: inout PipelineOutcome) -> Judgement {
        guard message.payload.count <= maxPayloadBytes else { return .refused(.tooLarge) }
        guard let address = TopicAddress(topic: message.topicBytes) else { return .refused(.badTopic) }
        // Missing rather than refused: the house, the sensor or the owner may
        // have been added, or the key file written, a moment ago (a publisher
        // seeds its estate and creates keys as it starts).
        guard let owner = estate.owners[address.houseID] else { return missingFromEstate(.unknownHouse, &outcome) }
        guard let sensor = estate.sensors[address.sensorID], sensor.houseID == address.houseID else {
            return missingFromEstate(.unknownSensor, &outcome)
        }
        guard let ownerID = owner else { return missingFromEstate(.noKey, &outcome) }
        guard let cipher = cipher(forOwner: ownerID) else {
            outcome.missedOwners.insert(ownerID)
            return .missing(.noKey)
        }

        var plaintext: [UInt8]
        let tokenTime: UInt64
        do {
            (plaintext, tokenTime) = try message.payload.withUnsafeBytes { bytes throws(FernetError) in
                try cipher.decryptWithTimestamp(bytes, ttl: replayWindow)
            }
        } catch let error as FernetError {
            // A bad HMAC may be a token made under a key rotated in since the
            // folder was last read (the watcher polls once a second), so it is
            // judged again after a look at the folder before it is final.
            if error.code == .badHMAC {
                outcome.missedOwners.insert(ownerID)
                return .missing(.badHMAC)
            }
            return .refused(.from(error))
        } catch {
            return .refused(.badToken)
        }
        let decoded = Result { () throws(PayloadRejection) in try catalog.decode(payload: plaintext) }
        plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        let reading: Reading
        switch decoded {
        case .success(let value): reading = value
        case .failure(let rejection): return .refused(.from(rejection))
        }
        guard reading.houseID == address.houseID, reading.sensorID == address.sensorID else { return .refused(.topicMismatch) }
        guard reading.kind == sensor.kind else { return .refused(.kindMismatch) }
        guard reading.seq <= UInt64(Int64.max) else { return .refused(.seqOutOfRange) }
        return admit(reading, index: index, address: address, tokenTime: tokenTime, outcome: &outcome)
    }

    /// A miss that a newer estate snapshot may resolve.
    private func missingFromEstate(_ reason: DeadLetterReason, _ outcome: inout PipelineOutcome) -> Judgement {
        outcome.missedEstate = true
        return .missing(reason)
    }

    /// Applies the sequence window and, for a new latest reading, finds the alarm transitions.
    private func admit(_ reading: Reading, index: Int, address: TopicAddress, tokenTime: UInt64, outcome: inout PipelineOutcome) -> Judgement {
        let verdict: SequenceVerdict
        let previousAlarms: [String]
        if let slot = sensors.index(forKey: reading.sensorID) {
            // Changed in place: a copy taken out and written back would share
            // the window's bit array, so every admit would copy it.
            verdict = sensors.values[slot].window.admit(reading.seq, tokenTime: tokenTime)
            previousAlarms = sensors.values[slot].alarms
            if verdict == .next || verdict == .restarted { sensors.values[slot].alarms = reading.alarms }
        } else {
            verdict = .next
            previousAlarms = recordedAlarms.removeValue(forKey: reading.sensorID) ?? []
            sensors[reading.sensorID] = SensorProgress(window: SequenceWindow(first: reading.seq, tokenTime: tokenTime), alarms: reading.alarms)
        }
        switch verdict {
        case .duplicate: return .refused(.duplicate)
        case .tooOld: return .refused(.replay)
        case .outOfOrder:
            outcome.outOfOrder += 1
        case .next, .restarted:
            if verdict == .restarted { outcome.sequenceRestarts += 1 }
            outcome.transitions += AlarmTransition.between(previousAlarms, reading.alarms, reading: reading, seq: Int64(reading.seq))
        }
        outcome.accepted.append(AcceptedReading(
            messageIndex: index, address: address, kind: reading.kind, seq: reading.seq,
            occurredAt: reading.timestamp, sentAt: reading.sentAt, isLatest: verdict != .outOfOrder
        ))
        return .accepted
    }

    /// The owner's cipher, built once per key generation; nil if the keyring lacks the owner.
    private func cipher(forOwner owner: Int) -> MultiFernet? {
        if let cached = ciphers[owner] { return cached }
        let built = try? keys.current.keyring.multiFernet(forOwner: owner, maxClockSkew: maxClockSkew)
        ciphers[owner] = .some(built)
        return built
    }

    private func refreshCiphersIfKeysChanged() {
        let generation = keys.current.generation
        if generation != cipherGeneration {
            ciphers.removeAll()
            cipherGeneration = generation
        }
    }
}
