#if canImport(Glibc)
import Glibc
#endif

/// Splits the bytes a broker sends into MQTT packets (3.1.1 and 5), without
/// doing any I/O itself.
///
/// Why: libmosquitto reads every packet with 3–4 `read` calls (the type
/// byte, the remaining length a byte at a time, the rest) after a `pselect`
/// of its own, which was about a third of hearth's CPU per message in
/// `hearth bench pipeline`. This reader takes whatever one large `read`
/// returned (`readFrom`), and `next()` then hands out every complete packet
/// in it; a packet cut off at the end of a read waits for the next one.
///
/// A malformed packet, or one longer than `maximumPacketBytes`, is an
/// `MQTTError` with code `.protocolError`: the connection must be dropped,
/// since the stream can no longer be framed.
struct MQTTPacketReader {
    /// The remaining-length field of a fixed header.
    enum RemainingLength: Equatable {
        case value(Int, byteCount: Int)
        /// More bytes are needed to know.
        case incomplete
        /// A fifth length byte (the continuation bit set on the fourth).
        case malformed
    }

    /// The largest remaining length MQTT can encode (4 bytes of 7 bits).
    static let largestRemainingLength = 268_435_455

    let protocolVersion: MQTTConfiguration.ProtocolVersion
    let maximumPacketBytes: Int
    /// How much one `readFrom` asks the kernel for, at least.
    let readSize: Int
    private(set) var buffer: [UInt8]
    /// The first byte not yet handed out as (part of) a packet.
    private var start = 0
    /// One past the last byte read.
    private var end = 0
    /// The whole size of the packet at `start` once its header is known, else 0.
    private var pendingPacketBytes = 0

    init(protocolVersion: MQTTConfiguration.ProtocolVersion, readSize: Int = 256 * 1024, maximumPacketBytes: Int = 16 << 20) {
        self.protocolVersion = protocolVersion
        self.readSize = max(16, readSize)
        self.maximumPacketBytes = maximumPacketBytes
        buffer = [UInt8](repeating: 0, count: self.readSize)
    }

    /// Bytes read but not yet handed out.
    var bufferedBytes: Int { end - start }

    /// Forgets everything buffered: a new connection starts a new stream.
    mutating func reset() {
        start = 0
        end = 0
        pendingPacketBytes = 0
    }

    /// Lets `read` fill the free space at the end of the buffer (after making
    /// room for at least `readSize` bytes, or the rest of a packet that is
    /// longer) and keeps what it returns; a negative or zero count adds nothing.
    mutating func readFrom(_ read: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        makeRoom()
        let count = buffer.withUnsafeMutableBytes { bytes in
            read(UnsafeMutableRawBufferPointer(rebasing: bytes[end...]))
        }
        if count > 0 { end += count }
        return count
    }

    /// Adds bytes as if read from the socket.
    mutating func append(_ bytes: some Collection<UInt8>) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let taken = readFrom { space in
                let count = min(space.count, rest.count)
                space.copyBytes(from: rest.prefix(count))
                return count
            }
            rest = rest.dropFirst(taken)
        }
    }

    private mutating func makeRoom() {
        if start == end {
            start = 0
            end = 0
        }
        let wanted = max(readSize, pendingPacketBytes - bufferedBytes)
        guard buffer.count - end < wanted else { return }
        if start > 0 {
            let count = bufferedBytes
            let from = start
            buffer.withUnsafeMutableBytes { bytes in
                if count > 0 { memmove(bytes.baseAddress!, bytes.baseAddress! + from, count) }
            }
            start = 0
            end = count
        }
        if buffer.count - end < wanted {
            buffer.append(contentsOf: repeatElement(0, count: wanted - (buffer.count - end)))
        }
    }

    private enum Framing {
        /// The packet at `start` is not all here; its whole size, once known (else 0).
        case needsBytes(Int)
        case packet(MQTTIncomingPacket, total: Int)
    }

    /// The next complete packet, or nil until more bytes arrive. Ranges in
    /// the packet index `buffer` and stay valid until the next read.
    mutating func next() throws(MQTTError) -> MQTTIncomingPacket? {
        guard bufferedBytes >= 2 else { return nil }
        let first = start
        let available = bufferedBytes
        let version = protocolVersion
        let maximum = maximumPacketBytes
        let parsed: Result<Framing, MQTTError> = buffer.withUnsafeBufferPointer { bytes in
            let length = Self.decodeRemainingLength(UnsafeBufferPointer(rebasing: bytes[(first + 1) ..< (first + available)]))
            switch length {
            case .incomplete:
                return .success(.needsBytes(0))
            case .malformed:
                return .failure(MQTTError(.protocolError, "the MQTT broker sent a packet whose remaining length runs past 4 bytes (malformed stream)"))
            case .value(let remaining, let byteCount):
                let total = 1 + byteCount + remaining
                if total > maximum {
                    return .failure(MQTTError(.protocolError, "the MQTT broker sent a packet of \(total) bytes, more than the \(maximum) this client accepts"))
                }
                guard total <= available else { return .success(.needsBytes(total)) }
                var cursor = Cursor(bytes: bytes, position: first + 1 + byteCount, end: first + total)
                do throws(MQTTError) {
                    return .success(.packet(try Self.parse(header: bytes[first], &cursor, version: version), total: total))
                } catch {
                    return .failure(error)
                }
            }
        }
        switch parsed {
        case .failure(let error):
            throw error
        case .success(.needsBytes(let total)):
            pendingPacketBytes = total
            return nil
        case .success(.packet(let packet, let total)):
            pendingPacketBytes = 0
            start += total
            return packet
        }
    }

    /// The topic and payload of a PUBLISH, as raw bytes, while `body` runs.
    func withBytes<R>(of frame: MQTTPublishFrame, _ body: (_ topic: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) -> R) -> R {
        buffer.withUnsafeBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[frame.topic]), UnsafeRawBufferPointer(rebasing: bytes[frame.payload]))
        }
    }

    /// Reads the variable-length remaining-length field at the start of `bytes`.
    static func decodeRemainingLength(_ bytes: UnsafeBufferPointer<UInt8>) -> RemainingLength {
        var value = 0
        var multiplier = 1
        for index in 0 ..< 4 {
            guard index < bytes.count else { return .incomplete }
            let byte = bytes[index]
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 { return .value(value, byteCount: index + 1) }
            multiplier *= 128
        }
        return .malformed
    }

    /// A bounds-checked walk over one packet's body.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let end: Int

        var remaining: Int { end - position }

        mutating func byte(_ what: String) throws(MQTTError) -> UInt8 {
            guard position < end else { throw Self.truncated(what) }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func uint16(_ what: String) throws(MQTTError) -> UInt16 {
            guard remaining >= 2 else { throw Self.truncated(what) }
            defer { position += 2 }
            return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
        }

        mutating func range(_ count: Int, _ what: String) throws(MQTTError) -> Range<Int> {
            guard count <= remaining else { throw Self.truncated(what) }
            defer { position += count }
            return position ..< position + count
        }

        /// Steps over MQTT 5 properties (a variable-length count, then that
        /// many bytes) and returns where they lie.
        mutating func properties() throws(MQTTError) -> Range<Int> {
            let length = MQTTPacketReader.decodeRemainingLength(UnsafeBufferPointer(rebasing: bytes[position ..< end]))
            guard case .value(let count, let byteCount) = length else { throw Self.truncated("property length") }
            position += byteCount
            return try range(count, "properties")
        }

        /// Skips MQTT 5 properties.
        mutating func skipProperties() throws(MQTTError) {
            _ = try properties()
        }

        /// Walks a CONNACK's MQTT 5 properties and returns its Server Keep
        /// Alive (0x13), if any. Every property is checked against its type,
        /// so a malformed list is an error rather than a misread value.
        mutating func connackServerKeepAlive() throws(MQTTError) -> UInt16? {
            let list = try properties()
            var walk = Cursor(bytes: bytes, position: list.lowerBound, end: list.upperBound)
            var keepAlive: UInt16?
            while walk.remaining > 0 {
                let identifier = try walk.byte("property identifier")
                switch identifier {
                case 0x13: keepAlive = try walk.uint16("Server Keep Alive")
                case 0x24, 0x25, 0x28, 0x29, 0x2A: _ = try walk.range(1, "CONNACK property")
                case 0x21, 0x22: _ = try walk.range(2, "CONNACK property")
                case 0x11, 0x27: _ = try walk.range(4, "CONNACK property")
                case 0x12, 0x1A, 0x1C, 0x1F, 0x15, 0x16: _ = try walk.range(Int(try walk.uint16("property length")), "CONNACK property")
                case 0x26:
                    _ = try walk.range(Int(try walk.uint16("user property name length")), "user property")
                    _ = try walk.range(Int(try walk.uint16("user property value length")), "user property")
                default:
                    throw MQTTError(.protocolError, "the MQTT broker sent a CONNACK with property 0x\(String(identifier, radix: 16)), which CONNACK does not carry")
                }
            }
            return keepAlive
        }

        static func truncated(_ what: String) -> MQTTError {
            MQTTError(.protocolError, "the MQTT broker sent a malformed packet: its \(what) runs past the packet's end")
        }
    }

    private static let packetNames = [
        "reserved (0)", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
        "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
    ]

    private static func parse(header: UInt8, _ cursor: inout Cursor, version: MQTTConfiguration.ProtocolVersion) throws(MQTTError) -> MQTTIncomingPacket {
        let type = Int(header >> 4)
        let flags = header & 0x0F
        if type != 3 {
            // Reserved flags are fixed for every type but PUBLISH; others mean a broken stream.
            let expected: UInt8 = type == 6 ? 2 : 0
            guard flags == expected else {
                throw MQTTError(.protocolError, "the MQTT broker sent a \(packetNames[type]) with flags \(flags), not \(expected)")
            }
        }
        let v5 = version == .v5
        switch type {
        case 2:
            let acknowledge = try cursor.byte("CONNACK flags")
            let code = try cursor.byte("CONNACK return code")
            // A refusal may come without properties; an acceptance under MQTT 5 has them.
            let keepAlive = v5 && cursor.remaining > 0 ? try cursor.connackServerKeepAlive() : nil
            return .connack(sessionPresent: acknowledge & 1 == 1, returnCode: code, serverKeepAlive: keepAlive)
        case 3:
            let qos = (flags >> 1) & 3
            guard qos < 3 else { throw MQTTError(.protocolError, "the MQTT broker sent a PUBLISH with QoS 3") }
            let topicLength = Int(try cursor.uint16("topic length"))
            let topic = try cursor.range(topicLength, "topic")
            guard !topic.isEmpty else {
                throw MQTTError(.protocolError, "the MQTT broker sent a PUBLISH with an empty topic (this client allows no topic aliases)")
            }
            var packetID: UInt16 = 0
            if qos > 0 {
                packetID = try cursor.uint16("packet id")
                guard packetID != 0 else { throw MQTTError(.protocolError, "the MQTT broker sent a QoS \(qos) PUBLISH with packet id 0") }
            }
            if v5 { try cursor.skipProperties() }
            let payload = cursor.position ..< cursor.end
            return .publish(MQTTPublishFrame(topic: topic, payload: payload, qos: qos, retain: flags & 1 == 1, duplicate: flags & 8 == 8, packetID: packetID))
        case 4, 5, 6, 7:
            // MQTT 5 may add a reason code and properties, which a receiver does not need.
            let packetID = try cursor.uint16("packet id")
            switch type {
            case 4: return .puback(packetID: packetID)
            case 5: return .pubrec(packetID: packetID)
            case 6: return .pubrel(packetID: packetID)
            default: return .pubcomp(packetID: packetID)
            }
        case 9:
            let packetID = try cursor.uint16("packet id")
            if v5 { try cursor.skipProperties() }
            let codes = try cursor.range(cursor.remaining, "return codes")
            guard !codes.isEmpty else { throw MQTTError(.protocolError, "the MQTT broker sent a SUBACK with no return code") }
            return .suback(packetID: packetID, returnCodes: Array(cursor.bytes[codes]))
        case 11:
            return .unsuback(packetID: try cursor.uint16("packet id"))
        case 13:
            guard cursor.remaining == 0 else { throw MQTTError(.protocolError, "the MQTT broker sent a PINGRESP with a body") }
            return .pingresp
        case 14:
            return .disconnect(reasonCode: cursor.remaining > 0 ? try cursor.byte("reason code") : 0)
        default:
            throw MQTTError(.protocolError, "the MQTT broker sent a \(packetNames[type]) packet, which a client never receives")
        }
    }
}
