/// QoS 0 publishes encoded back to back, for `MQTTClient.send(_:)` to write
/// with one `write`.
///
/// Why: libmosquitto writes each packet with a `write` of its own, so a
/// burst of N publishes cost N system calls (and, without TCP_CORK, N
/// segments and N broker wake-ups). A burst is encoded by the publisher's
/// own thread into a buffer it reuses, and goes out at once.
///
/// It remembers where each packet ends, so that when a write stops short
/// (the broker went away) the caller learns how many messages went out
/// whole and can count the rest as not sent.
public struct MQTTPublishBurst: Sendable {
    public let protocolVersion: MQTTConfiguration.ProtocolVersion
    private(set) var bytes: [UInt8] = []
    /// For each packet, the offset just past its last byte.
    private var ends: [Int] = []

    public init(protocolVersion: MQTTConfiguration.ProtocolVersion) {
        self.protocolVersion = protocolVersion
    }

    /// Messages in the burst.
    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    /// Encodes one QoS 0 PUBLISH at the end of the burst.
    public mutating func append(topic: String, payload: [UInt8], retain: Bool = false) {
        payload.withUnsafeBytes {
            MQTTOutgoingPacket.appendPublish(topic: topic, payload: $0, qos: 0, packetID: 0, retain: retain, duplicate: false,
                                             to: &bytes, protocolVersion: protocolVersion)
        }
        ends.append(bytes.count)
    }

    /// Empties the burst, keeping its buffers for the next one.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// How many packets lie wholly within the first `byteCount` bytes.
    func packetsWhole(in byteCount: Int) -> Int {
        if byteCount >= bytes.count { return ends.count }
        // The first packet that ends past byteCount (ends are ascending).
        var low = 0
        var high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] <= byteCount { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
