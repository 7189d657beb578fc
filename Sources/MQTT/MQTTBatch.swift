/// The messages that arrived since the consumer last looked, in one buffer.
///
/// A collection of `MQTTMessage` whose topics and payloads are slices of
/// `storage`, so that handing a batch to the consumer moves two arrays and
/// allocates nothing per message.
public struct MQTTBatch: RandomAccessCollection, Sendable {
    struct Entry: Sendable {
        var topicStart: Int
        var payloadStart: Int
        var payloadEnd: Int
        var qos: UInt8
        var retain: Bool
    }

    var storage: [UInt8]
    var entries: [Entry]

    init(storage: [UInt8] = [], entries: [Entry] = []) {
        self.storage = storage
        self.entries = entries
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> MQTTMessage {
        let entry = entries[position]
        return MQTTMessage(
            topicBytes: storage[entry.topicStart ..< entry.payloadStart],
            payload: storage[entry.payloadStart ..< entry.payloadEnd],
            qos: Int(entry.qos), retain: entry.retain
        )
    }

    /// Appends one message's bytes (called under the inbox lock).
    mutating func append(topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, qos: Int32, retain: Bool) {
        let topicStart = storage.count
        storage.append(contentsOf: topic)
        let payloadStart = storage.count
        storage.append(contentsOf: payload)
        entries.append(Entry(topicStart: topicStart, payloadStart: payloadStart, payloadEnd: storage.count, qos: UInt8(qos), retain: retain))
    }

    mutating func reserve(bytes: Int, messages: Int) {
        storage.reserveCapacity(bytes)
        entries.reserveCapacity(messages)
    }
}
