/// Appends JSON to a byte buffer: the hot-path serialiser for payloads (tens of
/// thousands a second), so no Foundation, no intermediate strings, and numbers
/// formatted with integer arithmetic.
///
/// It writes tokens; the caller is responsible for structure (commas are the
/// caller's too, via `comma(_:)`), which keeps each payload a straight line of
/// appends.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable
    public mutating func byte(_ ascii: Unicode.Scalar) {
        bytes.append(UInt8(ascii: ascii))
    }

    /// Writes `,` unless this is the first item of a container.
    @inlinable
    public mutating func comma(_ first: inout Bool) {
        if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    /// A string with the escaping RFC 8259 requires: quote, backslash and the
    /// control characters U+0000...U+001F. Other text is copied as UTF-8.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: bytes.append(UInt8(ascii: "\""))
        case 0x5C: bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }
            bytes.append(UInt8(ascii: "u"))
            bytes.append(48)
            bytes.append(48)
            bytes.append(hex(byte >> 4))
            bytes.append(hex(byte & 0xF))
        }
    }

    /// `"key":`
    public mutating func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// `"key":` for a key fixed in the source, encoded once (see ``JSONKey``).
    @inlinable
    public mutating func key(_ key: JSONKey) {
        bytes.append(contentsOf: key.bytes)
    }

    public mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        unsigned(value.magnitude)
    }

    /// Decimal digits, made from the right in a stack buffer (a UInt64 has
    /// at most 20) and appended in one go. Appending them one by one and
    /// reversing the slice took a seventh of making and encoding a reading
    /// (`hearth bench payload`).
    public mutating func unsigned(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            var rest = value
            repeat {
                start -= 1
                digits[start] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `value` with exactly `decimals` digits after the point (none for 0):
    /// `21.5`, `0.034`, `400`. Non-finite values, which are not JSON, are
    /// written as `null`; validated readings never contain them.
    public mutating func fixed(_ value: Double, decimals: Int) {
        let scale = NumberField.powersOfTen[decimals]
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, scaled.magnitude < 9.0e18 else {
            guard value.isFinite else { return bytes.append(contentsOf: "null".utf8) }
            return bytes.append(contentsOf: value.description.utf8)
        }
        let magnitude = UInt64(scaled.magnitude)
        if scaled < 0, magnitude != 0 { bytes.append(UInt8(ascii: "-")) }
        let divisor = UInt64(scale)
        unsigned(magnitude / divisor)
        guard decimals > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        let fraction = magnitude % divisor
        var pad = divisor / 10
        while pad > 1, fraction < pad {
            bytes.append(48)
            pad /= 10
        }
        unsigned(fraction)
    }

    /// A double in its shortest round-trip form (`0.5`, `21`, `1e-07`); for
    /// documents such as schemas, where speed does not matter.
    public mutating func number(_ value: Double) {
        if value == value.rounded(), value.magnitude < 1e15 {
            integer(Int64(value))
        } else if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }
}

/// An object key known when the code is written, with its quotes, escapes
/// and colon encoded once, so writing it is one copy.
///
/// A hot serialiser such as `/houses/{id}/data`'s writes a dozen fixed keys
/// per sensor; escaping each again on every response was a few percent of
/// the request.
public struct JSONKey: Sendable {
    public let bytes: [UInt8]

    public init(_ name: String) {
        var writer = JSONWriter(capacity: name.utf8.count + 3)
        writer.key(name)
        bytes = writer.bytes
    }
}
