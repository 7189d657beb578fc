/// The packets hearth's own connection sends (MQTT 3.1.1 and 5), encoded
/// into a byte buffer so that many of them (one PUBACK per message of a
/// read, a burst of publishes) go out in one `write`.
enum MQTTOutgoingPacket: Equatable, Sendable {
    /// `sessionExpirySeconds` and `maximumPacketBytes` are MQTT 5 properties;
    /// MQTT 3.1.1 has no place for them and leaves them out.
    case connect(clientID: String, cleanSession: Bool, keepAliveSeconds: UInt16, username: String?, password: String?,
                 sessionExpirySeconds: UInt32?, maximumPacketBytes: UInt32?)
    case subscribe(packetID: UInt16, filter: String, qos: UInt8)
    /// `packetID` is ignored at QoS 0, which has none.
    case publish(topic: String, payload: [UInt8], qos: UInt8, packetID: UInt16, retain: Bool, duplicate: Bool)
    case puback(packetID: UInt16)
    case pubrec(packetID: UInt16)
    case pubcomp(packetID: UInt16)
    case pingreq
    case disconnect

    /// Appends the packet's bytes to `bytes`.
    func encode(into bytes: inout [UInt8], protocolVersion: MQTTConfiguration.ProtocolVersion) {
        let v5 = protocolVersion == .v5
        switch self {
        case .puback(let id): Self.appendAcknowledgement(0x40, id, to: &bytes)
        case .pubrec(let id): Self.appendAcknowledgement(0x50, id, to: &bytes)
        case .pubcomp(let id): Self.appendAcknowledgement(0x70, id, to: &bytes)
        case .pingreq: bytes += [0xC0, 0]
        case .disconnect: bytes += [0xE0, 0]
        case .publish(let topic, let payload, let qos, let packetID, let retain, let duplicate):
            payload.withUnsafeBytes {
                Self.appendPublish(topic: topic, payload: $0, qos: qos, packetID: packetID, retain: retain, duplicate: duplicate,
                                   to: &bytes, protocolVersion: protocolVersion)
            }
        case .subscribe(let packetID, let filter, let qos):
            var body: [UInt8] = []
            Self.appendUInt16(packetID, to: &body)
            if v5 { body.append(0) }  // no properties
            Self.appendString(filter, to: &body)
            body.append(qos)  // MQTT 5's subscription options: QoS, and the defaults for the rest
            Self.appendPacket(0x82, body: body, to: &bytes)
        case .connect(let clientID, let cleanSession, let keepAlive, let username, let password, let expiry, let maximum):
            var body: [UInt8] = []
            Self.appendString("MQTT", to: &body)
            body.append(v5 ? 5 : 4)
            var flags: UInt8 = cleanSession ? 0x02 : 0
            if username != nil { flags |= 0x80 }
            if username != nil, password != nil { flags |= 0x40 }
            body.append(flags)
            Self.appendUInt16(keepAlive, to: &body)
            if v5 {
                var properties: [UInt8] = []
                if let expiry {
                    properties.append(0x11)
                    Self.appendUInt32(expiry, to: &properties)
                }
                if let maximum {
                    properties.append(0x27)
                    Self.appendUInt32(maximum, to: &properties)
                }
                Self.appendRemainingLength(properties.count, to: &body)
                body += properties
            }
            Self.appendString(clientID, to: &body)
            if let username {
                Self.appendString(username, to: &body)
                if let password { Self.appendString(password, to: &body) }
            }
            Self.appendPacket(0x10, body: body, to: &bytes)
        }
    }

    /// Appends a PUBLISH straight from the caller's bytes: the publisher's
    /// hot path (`MQTTPublishBurst`) encodes every message this way without
    /// building a `.publish` value. No MQTT 5 properties (no topic alias).
    static func appendPublish(topic: String, payload: UnsafeRawBufferPointer, qos: UInt8, packetID: UInt16, retain: Bool,
                              duplicate: Bool, to bytes: inout [UInt8], protocolVersion: MQTTConfiguration.ProtocolVersion) {
        let topicLength = min(topic.utf8.count, 65535)
        let length = 2 + topicLength + (qos > 0 ? 2 : 0) + (protocolVersion == .v5 ? 1 : 0) + payload.count
        bytes.append(0x30 | (duplicate ? 0x08 : 0) | (qos & 3) << 1 | (retain ? 1 : 0))
        appendRemainingLength(length, to: &bytes)
        appendString(topic, to: &bytes)
        if qos > 0 { appendUInt16(packetID, to: &bytes) }
        if protocolVersion == .v5 { bytes.append(0) }  // no properties
        bytes.append(contentsOf: payload)
    }

    /// The variable-length encoding of a remaining length (1–4 bytes, 7 bits each, low first).
    static func appendRemainingLength(_ length: Int, to bytes: inout [UInt8]) {
        precondition(length >= 0 && length <= MQTTPacketReader.largestRemainingLength, "MQTT remaining length \(length) out of range")
        var rest = length
        repeat {
            var byte = UInt8(rest % 128)
            rest /= 128
            if rest > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest > 0
    }

    private static func appendPacket(_ header: UInt8, body: [UInt8], to bytes: inout [UInt8]) {
        bytes.append(header)
        appendRemainingLength(body.count, to: &bytes)
        bytes += body
    }

    private static func appendAcknowledgement(_ header: UInt8, _ packetID: UInt16, to bytes: inout [UInt8]) {
        bytes += [header, 2, UInt8(packetID >> 8), UInt8(packetID & 0xFF)]
    }

    private static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        let utf8 = string.utf8
        appendUInt16(UInt16(min(utf8.count, 65535)), to: &bytes)
        bytes.append(contentsOf: utf8.prefix(65535))
    }
}
