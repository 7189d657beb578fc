@testable import MQTT
import Testing

/// A parsed packet with its PUBLISH ranges resolved to bytes, so packets
/// parsed from differently split reads compare equal.
private enum Seen: Equatable {
    case publish(topic: [UInt8], payload: [UInt8], qos: UInt8, retain: Bool, duplicate: Bool, packetID: UInt16)
    case other(MQTTIncomingPacket)
}

private func resolve(_ packet: MQTTIncomingPacket, _ reader: MQTTPacketReader) -> Seen {
    guard case .publish(let frame) = packet else { return .other(packet) }
    return reader.withBytes(of: frame) { topic, payload in
        .publish(topic: Array(topic), payload: Array(payload), qos: frame.qos, retain: frame.retain, duplicate: frame.duplicate, packetID: frame.packetID)
    }
}

private func drain(_ reader: inout MQTTPacketReader) throws -> [Seen] {
    var seen: [Seen] = []
    while let packet = try reader.next() { seen.append(resolve(packet, reader)) }
    return seen
}

/// A PUBLISH as a broker sends it.
private func publish(_ topic: String, _ payload: [UInt8], qos: UInt8 = 0, packetID: UInt16 = 0, retain: Bool = false,
                     properties: [UInt8]? = nil) -> [UInt8] {
    var body: [UInt8] = [UInt8(topic.utf8.count >> 8), UInt8(topic.utf8.count & 0xFF)] + Array(topic.utf8)
    if qos > 0 { body += [UInt8(packetID >> 8), UInt8(packetID & 0xFF)] }
    if let properties {
        MQTTOutgoingPacket.appendRemainingLength(properties.count, to: &body)
        body += properties
    }
    body += payload
    var packet: [UInt8] = [0x30 | qos << 1 | (retain ? 1 : 0)]
    MQTTOutgoingPacket.appendRemainingLength(body.count, to: &packet)
    return packet + body
}

/// An outgoing packet's bytes.
private func encoded(_ packet: MQTTOutgoingPacket, _ version: MQTTConfiguration.ProtocolVersion = .v311) -> [UInt8] {
    var bytes: [UInt8] = []
    packet.encode(into: &bytes, protocolVersion: version)
    return bytes
}

private func remainingLength(_ bytes: [UInt8]) -> MQTTPacketReader.RemainingLength {
    bytes.withUnsafeBufferPointer { MQTTPacketReader.decodeRemainingLength($0) }
}

@Suite("MQTT packet codec (no I/O)")
struct MQTTPacketCodecTests {
    @Test("remaining length: each byte-count boundary encodes as the spec's table says and decodes back",
          arguments: [
              (0, [0x00]), (127, [0x7F]),
              (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]),
              (16_384, [0x80, 0x80, 0x01]), (2_097_151, [0xFF, 0xFF, 0x7F]),
              (2_097_152, [0x80, 0x80, 0x80, 0x01]), (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
          ] as [(Int, [UInt8])])
    func remainingLengthBoundaries(value: Int, encoded: [UInt8]) {
        var bytes: [UInt8] = []
        MQTTOutgoingPacket.appendRemainingLength(value, to: &bytes)
        #expect(bytes == encoded)
        #expect(remainingLength(encoded) == .value(value, byteCount: encoded.count))
        // Whatever follows the field is not part of it.
        #expect(remainingLength(encoded + [0xFF, 0x01]) == .value(value, byteCount: encoded.count))
        // Every proper prefix of a multi-byte field needs more bytes.
        for cut in 0 ..< encoded.count {
            #expect(remainingLength(Array(encoded.prefix(cut))) == .incomplete)
        }
    }

    @Test("remaining length: a continuation bit on the fourth byte is malformed")
    func remainingLengthMalformed() {
        #expect(remainingLength([0x80, 0x80, 0x80, 0x80]) == .malformed)
        #expect(remainingLength([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == .malformed)
        #expect(MQTTPacketReader.largestRemainingLength == 268_435_455)
    }

    /// Every kind of packet a subscriber receives, in MQTT 3.1.1.
    private static let mixedStream: [UInt8] =
        [0x20, 0x02, 0x01, 0x00]  // CONNACK, session present
        + [0x90, 0x03, 0x00, 0x07, 0x01]  // SUBACK id 7, granted QoS 1
        + publish("houses/1/sensors/2", Array("token-a".utf8))
        + publish("houses/3/sensors/4", Array(repeating: 0x41, count: 300), qos: 1, packetID: 513, retain: true)
        + publish("a", [], qos: 2, packetID: 65_535)
        + [0x62, 0x02, 0xFF, 0xFE]  // PUBREL 65534
        + [0xD0, 0x00]  // PINGRESP
        + [0x40, 0x02, 0x00, 0x09]  // PUBACK 9

    private static let mixedExpected: [Seen] = [
        .other(.connack(sessionPresent: true, returnCode: 0)),
        .other(.suback(packetID: 7, returnCodes: [1])),
        .publish(topic: Array("houses/1/sensors/2".utf8), payload: Array("token-a".utf8), qos: 0, retain: false, duplicate: false, packetID: 0),
        .publish(topic: Array("houses/3/sensors/4".utf8), payload: Array(repeating: 0x41, count: 300), qos: 1, retain: true, duplicate: false, packetID: 513),
        .publish(topic: Array("a".utf8), payload: [], qos: 2, retain: false, duplicate: false, packetID: 65_535),
        .other(.pubrel(packetID: 65_534)),
        .other(.pingresp),
        .other(.puback(packetID: 9)),
    ]

    @Test("a stream split into two reads at every byte boundary yields the same packets")
    func splitAtEveryBoundary() throws {
        let stream = Self.mixedStream
        for cut in 0 ... stream.count {
            var reader = MQTTPacketReader(protocolVersion: .v311, readSize: 64)
            reader.append(stream[..<cut])
            var seen = try drain(&reader)
            reader.append(stream[cut...])
            seen += try drain(&reader)
            #expect(seen == Self.mixedExpected, "split at byte \(cut)")
            #expect(reader.bufferedBytes == 0)
        }
    }

    @Test("a stream fed one byte per read yields the same packets")
    func oneBytePerRead() throws {
        var reader = MQTTPacketReader(protocolVersion: .v311, readSize: 16)
        var seen: [Seen] = []
        for byte in Self.mixedStream {
            reader.append([byte])
            seen += try drain(&reader)
        }
        #expect(seen == Self.mixedExpected)
    }

    @Test("many packets in one read all come out of it, in order; a packet cut off at the end waits for the next read")
    func manyPacketsInOneRead() throws {
        let count = 2_000
        var stream: [UInt8] = []
        for index in 0 ..< count {
            stream += publish("houses/\(index)/sensors/\(index % 5)", Array("payload \(index)".utf8), qos: 1, packetID: UInt16(index + 1))
        }
        let tail = publish("houses/x/sensors/y", Array(repeating: 7, count: 500))
        stream += tail.prefix(10)
        var reader = MQTTPacketReader(protocolVersion: .v311, readSize: 256 * 1024)
        let read = reader.readFrom { space in
            space.copyBytes(from: stream)
            return stream.count
        }
        #expect(read == stream.count)
        let seen = try drain(&reader)
        #expect(seen.count == count)
        for (index, packet) in seen.enumerated() {
            #expect(packet == .publish(topic: Array("houses/\(index)/sensors/\(index % 5)".utf8), payload: Array("payload \(index)".utf8),
                                       qos: 1, retain: false, duplicate: false, packetID: UInt16(index + 1)))
        }
        #expect(reader.bufferedBytes == 10)
        reader.append(tail.dropFirst(10))
        #expect(try drain(&reader) == [.publish(topic: Array("houses/x/sensors/y".utf8), payload: Array(repeating: 7, count: 500),
                                                qos: 0, retain: false, duplicate: false, packetID: 0)])
    }

    @Test("a packet longer than the read size grows the buffer, and a failed read adds nothing")
    func packetLongerThanReadSize() throws {
        let big = publish("t/big", (0 ..< 5_000).map { UInt8($0 % 251) }, qos: 1, packetID: 42)
        var reader = MQTTPacketReader(protocolVersion: .v311, readSize: 64)
        #expect(reader.readFrom { _ in -1 } == -1)
        #expect(reader.bufferedBytes == 0)
        var seen: [Seen] = []
        var offset = 0
        while offset < big.count {
            let chunk = big[offset ..< min(big.count, offset + 37)]
            reader.append(chunk)
            offset += chunk.count
            seen += try drain(&reader)
        }
        #expect(seen == [.publish(topic: Array("t/big".utf8), payload: (0 ..< 5_000).map { UInt8($0 % 251) },
                                  qos: 1, retain: false, duplicate: false, packetID: 42)])
    }

    @Test("MQTT 5: PUBLISH properties are skipped, CONNACK and SUBACK carry properties, DISCONNECT has a reason")
    func mqtt5Packets() throws {
        var reader = MQTTPacketReader(protocolVersion: .v5)
        let properties: [UInt8] = [0x01, 0x01, 0x23, 0x00, 0x02]  // payload format 1, topic alias 2 (skipped as a whole)
        reader.append(
            [0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x0A]  // CONNACK with Receive Maximum 10
                + publish("houses/1/sensors/1", [1, 2, 3], qos: 1, packetID: 5, properties: properties)
                + publish("houses/1/sensors/2", [4], properties: [])
                + [0x90, 0x04, 0x00, 0x02, 0x00, 0x80]  // SUBACK id 2, no properties, refused
                + [0xE0, 0x01, 0x8B]  // DISCONNECT: server shutting down
        )
        #expect(try drain(&reader) == [
            .other(.connack(sessionPresent: false, returnCode: 0)),
            .publish(topic: Array("houses/1/sensors/1".utf8), payload: [1, 2, 3], qos: 1, retain: false, duplicate: false, packetID: 5),
            .publish(topic: Array("houses/1/sensors/2".utf8), payload: [4], qos: 0, retain: false, duplicate: false, packetID: 0),
            .other(.suback(packetID: 2, returnCodes: [0x80])),
            .other(.disconnect(reasonCode: 0x8B)),
        ])
    }

    @Test("MQTT 5: a CONNACK's Server Keep Alive is read from among properties of every type; without it there is none")
    func connackServerKeepAlive() throws {
        func string(_ text: String) -> [UInt8] { [0, UInt8(text.utf8.count)] + Array(text.utf8) }
        let properties: [UInt8] = [0x11, 0, 0, 0x0E, 0x10]  // Session Expiry 3600
            + [0x21, 0x00, 0x0A]  // Receive Maximum 10
            + [0x24, 0x01, 0x25, 0x01]  // Maximum QoS 1, Retain Available
            + [0x27, 0x00, 0x10, 0x00, 0x00]  // Maximum Packet Size
            + [0x12] + string("auto-1")  // Assigned Client Identifier
            + [0x26] + string("k") + string("v")  // User Property
            + [0x13, 0x00, 0x02]  // Server Keep Alive 2
            + [0x28, 0x01, 0x29, 0x00, 0x2A, 0x01, 0x22, 0x00, 0x05]
        var reader = MQTTPacketReader(protocolVersion: .v5)
        reader.append([0x20, UInt8(3 + properties.count), 0x00, 0x00, UInt8(properties.count)] + properties
            + [0x20, 0x03, 0x01, 0x00, 0x00])  // and one with no properties at all
        #expect(try drain(&reader) == [
            .other(.connack(sessionPresent: false, returnCode: 0, serverKeepAlive: 2)),
            .other(.connack(sessionPresent: true, returnCode: 0, serverKeepAlive: nil)),
        ])
        // MQTT 3.1.1 has no properties: the same bytes after the return code are not read as any.
        var old = MQTTPacketReader(protocolVersion: .v311)
        old.append([0x20, 0x02, 0x00, 0x00])
        #expect(try drain(&old) == [.other(.connack(sessionPresent: false, returnCode: 0))])
    }

    @Test("MQTT 5: a CONNACK property that does not belong there, or runs past the list, is malformed",
          arguments: [
              ([0x20, 0x05, 0x00, 0x00, 0x02, 0x01, 0x01] as [UInt8], "property 0x1"),  // Payload Format Indicator: a PUBLISH property
              ([0x20, 0x05, 0x00, 0x00, 0x02, 0x13, 0x00] as [UInt8], "Server Keep Alive"),  // two bytes promised, one given
              ([0x20, 0x06, 0x00, 0x00, 0x03, 0x1F, 0x00, 0x05] as [UInt8], "CONNACK property"),  // Reason String longer than the list
          ])
    func connackPropertiesMalformed(bytes: [UInt8], mentions: String) {
        let error = Self.failure(bytes, version: .v5)
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "no error")")
    }

    private static func failure(_ bytes: [UInt8], version: MQTTConfiguration.ProtocolVersion = .v311, maximum: Int = 1 << 20) -> MQTTError? {
        var reader = MQTTPacketReader(protocolVersion: version, readSize: 64, maximumPacketBytes: maximum)
        reader.append(bytes)
        do {
            _ = try drain(&reader)
            return nil
        } catch let error as MQTTError {
            return error
        } catch {
            return nil
        }
    }

    @Test("malformed input is a protocolError that says what is wrong",
          arguments: [
              ([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "remaining length"),  // five length bytes
              ([0x30, 0x03, 0x00, 0x09, 0x61], "topic"),  // topic length 9 in a 3-byte body
              ([0x32, 0x04, 0x00, 0x01, 0x61, 0x00], "packet id"),  // QoS 1 with only one byte of id
              ([0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00], "packet id 0"),
              ([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01], "QoS 3"),
              ([0x30, 0x02, 0x00, 0x00], "empty topic"),
              ([0x10, 0x00], "CONNECT"),  // a client never receives CONNECT
              ([0xD0, 0x01, 0x00], "PINGRESP with a body"),
              ([0x41, 0x02, 0x00, 0x01], "flags"),  // PUBACK with reserved flags set
              ([0x60, 0x02, 0x00, 0x01], "flags"),  // PUBREL without its fixed flag
              ([0x90, 0x02, 0x00, 0x01], "no return code"),
              ([0x20, 0x01, 0x00], "CONNACK return code"),  // truncated CONNACK
          ] as [([UInt8], String)])
    func malformed(bytes: [UInt8], mentions: String) {
        let error = Self.failure(bytes)
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "no error")")
    }

    @Test("MQTT 5: a property length that runs past the packet is malformed")
    func mqtt5PropertiesTruncated() {
        // PUBLISH topic "a", then a property length of 9 with 1 byte left.
        let error = Self.failure([0x30, 0x05, 0x00, 0x01, 0x61, 0x09, 0x01], version: .v5)
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains("properties") == true)
    }

    @Test("an oversized packet fails as soon as its header arrives, before its body")
    func oversized() throws {
        var reader = MQTTPacketReader(protocolVersion: .v311, readSize: 64, maximumPacketBytes: 1_000)
        var header: [UInt8] = [0x30]
        MQTTOutgoingPacket.appendRemainingLength(100_000, to: &header)
        reader.append(header)
        let error = #expect(throws: MQTTError.self) { try reader.next() }
        #expect(error?.code == .protocolError)
        #expect(error?.message.contains("100004 bytes") == true)
        #expect(error?.message.contains("1000") == true)
        // One byte under the limit is fine.
        var fits = MQTTPacketReader(protocolVersion: .v311, readSize: 64, maximumPacketBytes: 1_000)
        let packet = publish("t", Array(repeating: 1, count: 1_000 - 6))
        #expect(packet.count == 1_000)
        fits.append(packet)
        #expect(try drain(&fits).count == 1)
    }

    @Test("outgoing packets: CONNECT (3.1.1 and 5), SUBSCRIBE, acknowledgements, PINGREQ, DISCONNECT")
    func outgoing() {
        let connect = MQTTOutgoingPacket.connect(clientID: "sub", cleanSession: false, keepAliveSeconds: 30, username: "u", password: "p",
                                                 sessionExpirySeconds: 86_400, maximumPacketBytes: 1_048_576)
        #expect(encoded(connect) == [0x10, 21, 0, 4] + Array("MQTT".utf8) + [4, 0xC0, 0, 30, 0, 3] + Array("sub".utf8) + [0, 1, 0x75, 0, 1, 0x70])
        #expect(encoded(connect, .v5) == [0x10, 32, 0, 4] + Array("MQTT".utf8) + [5, 0xC0, 0, 30]
            + [10, 0x11, 0x00, 0x01, 0x51, 0x80, 0x27, 0x00, 0x10, 0x00, 0x00]
            + [0, 3] + Array("sub".utf8) + [0, 1, 0x75, 0, 1, 0x70])
        let clean = MQTTOutgoingPacket.connect(clientID: "c", cleanSession: true, keepAliveSeconds: 0, username: nil, password: nil,
                                               sessionExpirySeconds: nil, maximumPacketBytes: nil)
        #expect(encoded(clean) == [0x10, 13, 0, 4] + Array("MQTT".utf8) + [4, 0x02, 0, 0, 0, 1, 0x63])
        #expect(encoded(.subscribe(packetID: 258, filter: "h/+", qos: 1)) == [0x82, 8, 1, 2, 0, 3] + Array("h/+".utf8) + [1])
        #expect(encoded(.subscribe(packetID: 258, filter: "h/+", qos: 1), .v5) == [0x82, 9, 1, 2, 0, 0, 3] + Array("h/+".utf8) + [1])
        #expect(encoded(.puback(packetID: 0x1234)) == [0x40, 2, 0x12, 0x34])
        #expect(encoded(.pubrec(packetID: 1)) == [0x50, 2, 0, 1])
        #expect(encoded(.pubcomp(packetID: 65_535)) == [0x70, 2, 0xFF, 0xFF])
        #expect(encoded(.pingreq) == [0xC0, 0])
        #expect(encoded(.disconnect) == [0xE0, 0])
    }

    @Test("acknowledgements encoded here parse back through the reader")
    func acknowledgementsRoundTrip() throws {
        var bytes: [UInt8] = []
        for id: UInt16 in [1, 255, 256, 65_535] {
            MQTTOutgoingPacket.puback(packetID: id).encode(into: &bytes, protocolVersion: .v311)
            MQTTOutgoingPacket.pubrec(packetID: id).encode(into: &bytes, protocolVersion: .v311)
            MQTTOutgoingPacket.pubcomp(packetID: id).encode(into: &bytes, protocolVersion: .v311)
        }
        var reader = MQTTPacketReader(protocolVersion: .v311)
        reader.append(bytes)
        let expected: [Seen] = [1, 255, 256, 65_535].flatMap { (id: UInt16) -> [Seen] in
            [.other(.puback(packetID: id)), .other(.pubrec(packetID: id)), .other(.pubcomp(packetID: id))]
        }
        #expect(try drain(&reader) == expected)
    }

    @Test("outgoing PUBLISH: exact bytes at QoS 0 and 1, with DUP and retain, MQTT 3.1.1 and 5, one- and two-byte remaining lengths")
    func outgoingPublish() {
        let topic = Array("houses/3/sensors/17".utf8)
        #expect(encoded(.publish(topic: "houses/3/sensors/17", payload: [0xAA, 0xBB], qos: 0, packetID: 9, retain: false, duplicate: false))
            == [0x30, 23, 0, 19] + topic + [0xAA, 0xBB])
        #expect(encoded(.publish(topic: "houses/3/sensors/17", payload: [0xAA, 0xBB], qos: 0, packetID: 9, retain: false, duplicate: false), .v5)
            == [0x30, 24, 0, 19] + topic + [0] + [0xAA, 0xBB])
        #expect(encoded(.publish(topic: "a", payload: [], qos: 1, packetID: 0x0102, retain: true, duplicate: true))
            == [0x3B, 5, 0, 1, 0x61, 1, 2])
        #expect(encoded(.publish(topic: "a", payload: [7], qos: 1, packetID: 0x0102, retain: false, duplicate: false), .v5)
            == [0x32, 7, 0, 1, 0x61, 1, 2, 0, 7])
        // 453-byte token (the benchmark's): remaining length 2 + 19 + 453 = 474 takes two bytes.
        let token = [UInt8](repeating: 0x41, count: 453)
        #expect(encoded(.publish(topic: "houses/3/sensors/17", payload: token, qos: 0, packetID: 0, retain: false, duplicate: false))
            == [0x30, 0xDA, 0x03, 0, 19] + topic + token)
    }

    @Test("a burst holds its publishes back to back, as the single encoder writes them, parses back, and knows which went out whole")
    func publishBurst() throws {
        var burst = MQTTPublishBurst(protocolVersion: .v5)
        var expected: [UInt8] = []
        var seen: [Seen] = []
        for index in 0 ..< 5 {
            let payload = [UInt8](repeating: UInt8(index), count: index * 100)
            burst.append(topic: "t/\(index)", payload: payload)
            MQTTOutgoingPacket.publish(topic: "t/\(index)", payload: payload, qos: 0, packetID: 0, retain: false, duplicate: false)
                .encode(into: &expected, protocolVersion: .v5)
            seen.append(.publish(topic: Array("t/\(index)".utf8), payload: payload, qos: 0, retain: false, duplicate: false, packetID: 0))
        }
        #expect(burst.count == 5)
        #expect(burst.bytes == expected)
        var reader = MQTTPacketReader(protocolVersion: .v5)
        reader.append(burst.bytes)
        #expect(try drain(&reader) == seen)
        // Packet i is a fixed header (2 bytes, 3 from a 128-byte body on), topic 5, properties 1, payload 100·i:
        // they end at 8, 116, 325, 634 and 1043.
        #expect(burst.bytes.count == 1043)
        #expect(burst.packetsWhole(in: 0) == 0)
        #expect(burst.packetsWhole(in: 7) == 0)
        #expect(burst.packetsWhole(in: 8) == 1)
        #expect(burst.packetsWhole(in: 115) == 1)
        #expect(burst.packetsWhole(in: 116) == 2)
        #expect(burst.packetsWhole(in: 634) == 4)
        #expect(burst.packetsWhole(in: burst.bytes.count - 1) == 4)
        #expect(burst.packetsWhole(in: burst.bytes.count) == 5)
        burst.removeAll()
        #expect(burst.isEmpty && burst.bytes.isEmpty)
    }
}
