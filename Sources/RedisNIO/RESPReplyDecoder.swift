import NIOCore
import Redis

/// Turns the bytes Redis sends into replies (RESP2): simple strings,
/// errors, integers, bulk strings (nil for `$-1`) and arrays (nil for `*-1`),
/// nested to any depth up to ``maximumDepth``.
///
/// A reply may arrive split across reads at any byte. The decoder then
/// leaves the buffer untouched and parses from the start once more bytes
/// came; the API's replies are a few kilobytes, so re-parsing a partial one
/// costs less than keeping a resumable parser's state.
public struct RESPReplyDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RedisValue

    /// Deeper nesting than Redis ever sends is treated as garbage rather
    /// than followed down the stack.
    public static let maximumDepth = 32

    public init() {}

    public mutating func decode(buffer: inout ByteBuffer) throws -> RedisValue? {
        let parsed = try buffer.withUnsafeReadableBytes { bytes -> (value: RedisValue, length: Int)? in
            var reader = Reader(bytes: bytes)
            guard let value = try reader.value(depth: 0) else { return nil }
            return (value, reader.offset)
        }
        guard let parsed else { return nil }
        buffer.moveReaderIndex(forwardBy: parsed.length)
        return parsed.value
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RedisValue? {
        try decode(buffer: &buffer)
    }

    /// One pass over the readable bytes; nil from any method means "not
    /// all there yet".
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func value(depth: Int) throws -> RedisValue? {
            guard depth <= RESPReplyDecoder.maximumDepth else {
                throw RedisError(.protocolError, "Redis sent replies nested more than \(RESPReplyDecoder.maximumDepth) deep")
            }
            guard offset < bytes.count else { return nil }
            let type = bytes[offset]
            guard let line = try line(from: offset + 1) else { return nil }
            switch type {
            case UInt8(ascii: "+"):
                return .status(text(line))
            case UInt8(ascii: "-"):
                return .error(text(line))
            case UInt8(ascii: ":"):
                return .integer(try integer(line))
            case UInt8(ascii: "$"):
                let length = try integer(line)
                if length == -1 { return .null }
                guard length >= 0 else { throw RedisError(.protocolError, "Redis sent a bulk string of length \(length)") }
                guard bytes.count - offset >= length + 2 else { return nil }
                guard bytes[offset + length] == 0x0D, bytes[offset + length + 1] == 0x0A else {
                    throw RedisError(.protocolError, "Redis sent a bulk string not followed by CRLF")
                }
                let value = Array(bytes[offset ..< offset + length])
                offset += length + 2
                return .bulk(value)
            case UInt8(ascii: "*"):
                let count = try integer(line)
                if count == -1 { return .null }
                guard count >= 0 else { throw RedisError(.protocolError, "Redis sent an array of \(count) elements") }
                var elements: [RedisValue] = []
                // Each element takes at least three bytes; a bogus count
                // must not reserve gigabytes.
                elements.reserveCapacity(min(count, (bytes.count - offset) / 3))
                for _ in 0 ..< count {
                    guard let element = try value(depth: depth + 1) else { return nil }
                    elements.append(element)
                }
                return .array(elements)
            default:
                throw RedisError(.protocolError, "Redis sent a reply starting with byte \(type), which is not RESP")
            }
        }

        /// The bytes from `start` to the next CRLF, moving past the CRLF.
        private mutating func line(from start: Int) throws -> Range<Int>? {
            var index = start
            while index + 1 < bytes.count {
                if bytes[index] == 0x0D {
                    guard bytes[index + 1] == 0x0A else { throw RedisError(.protocolError, "Redis sent a CR without LF") }
                    offset = index + 2
                    return start ..< index
                }
                index += 1
            }
            return nil
        }

        private func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        private func integer(_ range: Range<Int>) throws -> Int {
            var value = 0
            var negative = false
            var index = range.lowerBound
            if index < range.upperBound, bytes[index] == UInt8(ascii: "-") {
                negative = true
                index += 1
            }
            guard index < range.upperBound, range.upperBound - index <= 19 else {
                throw RedisError(.protocolError, "Redis sent '\(text(range))' where a number belongs")
            }
            while index < range.upperBound {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw RedisError(.protocolError, "Redis sent '\(text(range))' where a number belongs") }
                value = value &* 10 &+ Int(digit)
                index += 1
            }
            return negative ? -value : value
        }
    }
}
