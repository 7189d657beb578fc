import NIOCore
import Redis
import RedisNIO
import Testing

/// The RESP reply decoder on bytes alone (no I/O).
@Suite("RESP reply decoder")
struct RESPReplyDecoderTests {
    /// One of each reply kind, nested and nil ones included, as Redis sends them.
    static let wire = Array((
        "+OK\r\n" + "-WRONGTYPE Operation against a key\r\n" + ":42\r\n" + ":-7\r\n"
            + "$5\r\nhello\r\n" + "$0\r\n\r\n" + "$-1\r\n" + "*-1\r\n" + "*0\r\n"
            + "*3\r\n$1\r\na\r\n$-1\r\n*2\r\n:1\r\n+x\r\n"
            + "$4\r\n\r\n\r\n\r\n"
    ).utf8)
    static let replies: [RedisValue] = [
        .status("OK"), .error("WRONGTYPE Operation against a key"), .integer(42), .integer(-7),
        .bulk(Array("hello".utf8)), .bulk([]), .null, .null, .array([]),
        .array([.bulk([97]), .null, .array([.integer(1), .status("x")])]),
        .bulk([13, 10, 13, 10]),
    ]

    /// Decodes everything complete in `buffer`, leaving a partial reply there.
    static func drain(_ decoder: inout RESPReplyDecoder, _ buffer: inout ByteBuffer) throws -> [RedisValue] {
        var values: [RedisValue] = []
        while let value = try decoder.decode(buffer: &buffer) { values.append(value) }
        return values
    }

    @Test("every kind of reply, in one read")
    func wholeReplies() throws {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(bytes: Self.wire)
        #expect(try Self.drain(&decoder, &buffer) == Self.replies)
        #expect(buffer.readableBytes == 0)
    }

    @Test("the same bytes split into two reads at every byte")
    func splitAtEveryByte() throws {
        for split in 0 ... Self.wire.count {
            var decoder = RESPReplyDecoder()
            var buffer = ByteBuffer(bytes: Self.wire[..<split])
            var values = try Self.drain(&decoder, &buffer)
            buffer.writeBytes(Self.wire[split...])
            values += try Self.drain(&decoder, &buffer)
            #expect(values == Self.replies, "split at byte \(split)")
            #expect(buffer.readableBytes == 0, "split at byte \(split)")
        }
    }

    @Test("the same bytes arriving one at a time")
    func byteByByte() throws {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer()
        var values: [RedisValue] = []
        for byte in Self.wire {
            buffer.writeInteger(byte)
            values += try Self.drain(&decoder, &buffer)
        }
        #expect(values == Self.replies)
    }

    @Test("bytes that are not RESP are a protocol error", arguments: [
        "?what\r\n", ":12a\r\n", ":\r\n", "$3\r\nabcde\r\n", "$-2\r\n", "*-5\r\n", "+OK\rX",
    ])
    func garbage(_ text: String) throws {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(string: text)
        let error = #expect(throws: RedisError.self) { _ = try Self.drain(&decoder, &buffer) }
        #expect(error?.code == .protocolError)
    }

    @Test("nesting deeper than the limit is refused rather than followed")
    func tooDeep() throws {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: RESPReplyDecoder.maximumDepth + 1) + ":1\r\n")
        let error = #expect(throws: RedisError.self) { _ = try Self.drain(&decoder, &buffer) }
        #expect(error?.code == .protocolError)
    }

    @Test("a command is an array of binary-safe bulk strings")
    func commandEncoding() {
        var buffer = ByteBuffer()
        buffer.writeRESPCommand(["MGET", .text("house:{1}:sensor:2:latest"), .bytes([0, 13, 10]), .integer(1234567890)])
        let expected = "*4\r\n$4\r\nMGET\r\n$25\r\nhouse:{1}:sensor:2:latest\r\n$3\r\n\0\r\n\r\n$10\r\n1234567890\r\n"
        #expect(buffer.readableBytesView.elementsEqual(expected.utf8))
    }
}
