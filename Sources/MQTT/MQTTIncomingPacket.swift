/// A packet from the broker, as `MQTTPacketReader` parsed it: only what a
/// receiving client acts on.
///
/// A PUBLISH carries ranges into the reader's buffer instead of copies, so
/// the receive path copies each message once, into the inbox's batch.
enum MQTTIncomingPacket: Equatable, Sendable {
    /// CONNACK: `returnCode` is MQTT 3.1.1's return code or MQTT 5's reason
    /// code (0 = accepted). `serverKeepAlive`: MQTT 5's Server Keep Alive
    /// property, the keep-alive the client must use instead of its own.
    case connack(sessionPresent: Bool, returnCode: UInt8, serverKeepAlive: UInt16? = nil)
    case publish(MQTTPublishFrame)
    case puback(packetID: UInt16)
    case pubrec(packetID: UInt16)
    case pubrel(packetID: UInt16)
    case pubcomp(packetID: UInt16)
    /// SUBACK: one granted QoS (or failure code, ≥ 0x80) per filter.
    case suback(packetID: UInt16, returnCodes: [UInt8])
    case unsuback(packetID: UInt16)
    case pingresp
    /// MQTT 5 only: the broker is closing the connection, with a reason code.
    case disconnect(reasonCode: UInt8)
}

/// Where a PUBLISH's parts lie in the reader's buffer (valid until the
/// reader's next `append` or `readFrom`).
struct MQTTPublishFrame: Equatable, Sendable {
    var topic: Range<Int>
    var payload: Range<Int>
    var qos: UInt8
    var retain: Bool
    var duplicate: Bool
    /// 0 at QoS 0, which has none.
    var packetID: UInt16
}
