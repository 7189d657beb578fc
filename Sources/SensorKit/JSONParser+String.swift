/// String parsing: escapes and UTF-8 validation (RFC 3629, Table 3-7 of the
/// Unicode standard), kept apart because it is where hostile input bites.
extension JSONParser {
    mutating func parseString() throws(PayloadParseError) -> String {
        index += 1
        let start = index
        var decoded: [UInt8]? = nil  // allocated only once an escape appears
        while true {
            guard let byte = current else { throw error(.malformedJSON, "unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                if let decoded { return String(decoding: decoded, as: UTF8.self) }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            case UInt8(ascii: "\\"):
                if decoded == nil { decoded = Array(bytes[start..<index]) }
                index += 1
                try parseEscape(into: &decoded!)
            case 0..<0x20:
                throw error(.malformedJSON, "control character in a string must be escaped")
            case 0x20..<0x80:
                decoded?.append(byte)
                index += 1
            default:
                let from = index
                try skipMultiByteScalar()
                decoded?.append(contentsOf: bytes[from..<index])
            }
        }
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(PayloadParseError) {
        guard let byte = current else { throw error(.malformedJSON, "unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): decoded.append(0x22)
        case UInt8(ascii: "\\"): decoded.append(0x5C)
        case UInt8(ascii: "/"): decoded.append(0x2F)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error(.malformedJSON, "high surrogate escape without a low surrogate")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw error(.malformedJSON, "invalid low surrogate escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error(.malformedJSON, "lone low surrogate escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error(.malformedJSON, "invalid \\u escape") }
            decoded.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw error(.malformedJSON, "invalid escape '\\\(Unicode.Scalar(byte))'")
        }
    }

    private mutating func hexQuad() throws(PayloadParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error(.malformedJSON, "truncated \\u escape") }
            let nibble: UInt8
            switch byte {
            case 48...57: nibble = byte - 48
            case 65...70: nibble = byte - 55
            case 97...102: nibble = byte - 87
            default: throw error(.malformedJSON, "invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(nibble)
            index += 1
        }
        return value
    }

    /// Steps over one well-formed multi-byte UTF-8 scalar or throws.
    private mutating func skipMultiByteScalar() throws(PayloadParseError) {
        switch UTF8Scalar.multiByteLength(at: index, in: bytes) {
        case .success(let length): index += length
        case .failure(.invalidLead(let lead)): throw error(.invalidUTF8, "invalid UTF-8 lead byte 0x\(String(lead, radix: 16))")
        case .failure(.truncated): throw error(.invalidUTF8, "truncated UTF-8 sequence")
        case .failure(.invalidContinuation): throw error(.invalidUTF8, "invalid UTF-8 continuation byte")
        }
    }
}
