/// A strict RFC 8259 JSON parser over bytes that validates UTF-8 as it goes.
///
/// Payloads arrive from the network after decryption, so the parser must treat
/// every byte as hostile: it rejects invalid UTF-8 (overlong forms, surrogates,
/// truncated sequences), lone surrogate escapes, control characters in strings,
/// leading zeros, trailing garbage, duplicate keys and nesting deeper than
/// `maxDepth`, each with a typed `PayloadParseError` and never a trap.
public struct JSONParser {
    public static let maxDepth = 64

    /// Parses one complete JSON document.
    public static func parse(_ bytes: some Collection<UInt8>) throws(PayloadParseError) -> JSONValue {
        let array = Array(bytes)
        var parser = JSONParser(bytes: array)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == array.count else {
            throw parser.error(.malformedJSON, "unexpected bytes after the JSON document")
        }
        return value
    }

    let bytes: [UInt8]
    var index = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ code: PayloadParseError.Code, _ message: String) -> PayloadParseError {
        PayloadParseError(code, message, offset: index)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(PayloadParseError) -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw error(.malformedJSON, "invalid literal, expected '\(literal)'") }
            index += 1
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(PayloadParseError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error(.nestingTooDeep, "JSON nests deeper than \(Self.maxDepth) levels") }
        guard let byte = current else { throw error(.malformedJSON, "unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case 0x80...: throw error(.invalidUTF8, "non-ASCII byte outside a string")
        default: throw error(.malformedJSON, "unexpected character '\(Unicode.Scalar(byte))'")
        }
    }

    private mutating func parseObject(depth: Int) throws(PayloadParseError) -> JSONValue {
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error(.malformedJSON, "expected a string key") }
            let keyOffset = index
            let key = try parseString()
            if members.contains(where: { $0.key == key }) {
                throw PayloadParseError(.duplicateKey, "duplicate key '\(key)'", offset: keyOffset)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error(.malformedJSON, "expected ':' after a key") }
            index += 1
            skipWhitespace()
            members.append(JSONMember(key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error(.malformedJSON, "expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(PayloadParseError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw error(.malformedJSON, "expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseNumber() throws(PayloadParseError) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while let byte = parser.current, byte >= 48, byte <= 57 { parser.index += 1 }
            return parser.index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw error(.malformedJSON, "a number needs digits") }
        guard !(integerDigits > 1 && bytes[integerStart] == 48) else { throw error(.malformedJSON, "leading zero in a number") }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits(&self) > 0 else { throw error(.malformedJSON, "a fraction needs digits") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error(.malformedJSON, "an exponent needs digits") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else {
            throw PayloadParseError(.numberOutOfRange, "number \(text) is out of range", offset: start)
        }
        return .number(double)
    }
}
