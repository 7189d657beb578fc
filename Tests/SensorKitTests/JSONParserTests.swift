import Testing
import SensorKit

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesDocumentsKeepingOrderAndExactIntegers() throws {
        let value = try JSONParser.parse(Array(#" {"b": [1, -0.5, 2e3, true, null], "a": "x", "n": 1732900000123456789} "#.utf8))
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "n"])
        #expect(value["b"] == .array([.integer(1), .number(-0.5), .number(2000), .bool(true), .null]))
        #expect(value["n"] == .integer(1_732_900_000_123_456_789))
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let value = try JSONParser.parse(Array(#""q\" b\\ s\/ \n\t\r\b\f \u00e9 \ud83d\ude00""#.utf8))
        #expect(value == .string("q\" b\\ s/ \n\t\r\u{8}\u{C} é 😀"))
    }

    @Test func acceptsMultiByteUTF8() throws {
        #expect(try JSONParser.parse(Array(#""°C – 日本 😀""#.utf8)) == .string("°C – 日本 😀"))
    }

    @Test("rejects invalid UTF-8", arguments: [
        [0x22, 0xC0, 0xAF, 0x22],              // overlong "/"
        [0x22, 0xE0, 0x80, 0xAF, 0x22],        // overlong three-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],        // UTF-16 surrogate encoded in UTF-8
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // beyond U+10FFFF
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // invalid lead byte
        [0x22, 0x80, 0x22],                    // lone continuation byte
        [0x22, 0xE2, 0x82, 0x22],              // truncated sequence
        [0x22, 0xE2, 0x82],                    // truncated at end of input
        [0xEF, 0xBB, 0xBF, 0x7B, 0x7D],        // byte-order mark before the document
    ] as [[UInt8]])
    func rejectsInvalidUTF8(_ bytes: [UInt8]) {
        #expect(parseCode(bytes) == .invalidUTF8)
    }

    @Test("rejects malformed JSON", arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "-", "1.", ".5", "1e", "+1",
        "tru", "nul", "\"abc", "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "{} {}", "[1] x", "NaN", "Infinity", "'a'",
    ])
    func rejectsMalformedJSON(_ text: String) {
        #expect(parseCode(Array(text.utf8)) == .malformedJSON)
    }

    @Test func rejectsDuplicateKeys() {
        #expect(parseCode(Array(#"{"a":1,"a":2}"#.utf8)) == .duplicateKey)
    }

    @Test func rejectsNumbersOutsideDouble() {
        #expect(parseCode(Array("1e400".utf8)) == .numberOutOfRange)
    }

    @Test func largeIntegersFallBackToDouble() throws {
        #expect(try JSONParser.parse(Array("123456789012345678901234".utf8)) == .number(1.2345678901234568e23))
    }

    @Test func limitsNestingInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseCode(Array(deep.utf8)) == .nestingTooDeep)
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(parseCode(Array(allowed.utf8)) == nil)
    }

    @Test func errorsCarryTheOffset() {
        do {
            _ = try JSONParser.parse(Array(#"{"a": tru}"#.utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 9)
        }
    }

    private func parseCode(_ bytes: [UInt8]) -> PayloadParseError.Code? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func escapesWhatRFC8259Requires() throws {
        let text = "q\" b\\ \n\r\t\u{8}\u{C}\u{0}\u{1F} é 😀 \u{7F}"
        var writer = JSONWriter()
        writer.string(text)
        let written = String(decoding: writer.bytes, as: UTF8.self)
        #expect(written == #""q\" b\\ \n\r\t\b\f\u0000\u001f é 😀 "# + "\u{7F}\"")
        #expect(try JSONParser.parse(writer.bytes) == .string(text))
    }

    @Test("a key encoded once writes the same bytes as the key written each time, escapes included")
    func encodedKeys() {
        for name in ["sensor_id", "", "q\"uote\n", "é"] {
            var each = JSONWriter()
            each.key(name)
            var once = JSONWriter()
            once.key(JSONKey(name))
            #expect(once.bytes == each.bytes)
        }
    }

    @Test("fixed-point numbers", arguments: [
        (21.46, 1, "21.5"), (-0.04, 1, "0.0"), (-3.25, 2, "-3.25"), (0.034, 3, "0.034"), (400, 0, "400"),
        (0.5, 0, "1"), (-12.0, 1, "-12.0"), (1000, 1, "1000.0"), (0.000001, 6, "0.000001"),
    ] as [(Double, Int, String)])
    func fixed(_ value: Double, _ decimals: Int, _ expected: String) {
        var writer = JSONWriter()
        writer.fixed(value, decimals: decimals)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test func integersAtTheLimits() {
        var writer = JSONWriter()
        writer.integer(.min)
        writer.byte(",")
        writer.unsigned(.max)
        writer.byte(",")
        writer.integer(0)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "-9223372036854775808,18446744073709551615,0")
    }

    @Test func prettyPrintsDocuments() {
        let value: JSONValue = ["a": [.integer(1), "x"], "b": [:], "c": .number(0.5)]
        #expect(value.serialized() == #"{"a":[1,"x"],"b":{},"c":0.5}"#)
        #expect(value.serialized(indent: 2) == "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": {},\n  \"c\": 0.5\n}")
    }
}
