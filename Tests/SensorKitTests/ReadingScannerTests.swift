import Testing
import SensorKit
import SensorCatalog

/// `ReadingScanner` is only a shortcut: whatever it returns must be exactly
/// what `Reading(payload:)` returns, and it must return nil whenever
/// `Reading(payload:)` refuses. These tests hold it to that on real payloads,
/// on a table of malformed ones and on random mutations of real ones.
@Suite("ReadingScanner agrees with the strict payload parser")
struct ReadingScannerTests {
    static func scan(_ bytes: [UInt8]) -> Reading? {
        bytes.withUnsafeBufferPointer { ReadingScanner.scan($0) }
    }

    static func strict(_ bytes: [UInt8]) -> Reading? {
        try? Reading(payload: bytes)
    }

    /// Readings from every built-in plugin, as the publisher writes them.
    static let payloads: [[UInt8]] = {
        var result: [[UInt8]] = []
        let start = Timestamp(rfc3339: "2026-03-04T06:00:00Z")!
        for plugin in SensorCatalog.builtIn.plugins {
            let group = plugin.makeGroup()
            let names = ["Hall", "Küche 🔥", "Kid's den"]
            for (offset, name) in names.enumerated() {
                let local = group.addSensor(seed: 7, stream: UInt64(offset + 1), at: start)
                let identity = SensorIdentity(houseID: 3, sensorID: 40 + offset, name: name)
                for second in 1...20 {
                    let now = Timestamp(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch + Int64(second) * 61_000_000_000)
                    guard var reading = group.nextReading(local, at: now, identity: identity) else { continue }
                    reading.sentAt = Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + 123_456)
                    if let bytes = try? plugin.descriptor.encode(reading) { result.append(bytes) }
                }
            }
        }
        return result
    }()

    @Test func takesTheFastPathForEveryPayloadThePublisherWrites() throws {
        #expect(Self.payloads.count > 100)
        for payload in Self.payloads {
            let scanned = try #require(Self.scan(payload), "\(String(decoding: payload, as: UTF8.self))")
            #expect(scanned == (try Reading(payload: payload)))
        }
    }

    @Test("agrees on hand-written payloads", arguments: [
        // Accepted by both (whitespace, reordered keys, negative numbers, empty units).
        #" { "sensor_id" : 1 , "sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":-1.25,"units":{},"alarms":[ ] } "#,
        #"{"alarms":["a","b"],"units":{"x":"%"},"x":0,"sent_at_ns":-5,"timestamp":"2025-03-01T07:05:09.1+01:00","seq":9,"kind":"k","house_id":-2,"sensor_name":"","sensor_id":0}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":-0,"y":-0.0,"z":"text","units":{},"alarms":[]}"#,
        // Left to the strict parser, which accepts them.
        #"{"sensor_id":1,"sensor_name":"a\"b","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":1e3,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":0.1234567890123456789,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":1234567890123456789,"units":{},"alarms":[]}"#,
        // Refused by the strict parser.
        "",
        "{}",
        "[]",
        "null",
        #"{"sensor_id":1}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}x"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[],}"#,
        #"{"sensor_id":1,"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":1,"x":2,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":1,"units":{"x":"%","x":"%"},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{"y":"%"},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":1,"units":{"x":1},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[1]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":"co"}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":-1,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1.5,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":01,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-02-30T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":1.,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":-,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":true,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"x":{},"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":99999999999999999999,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":9223372036854775808,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":-9223372036854775808,"units":{},"alarms":[]}"#,
        #"{"sensor_id":1,"sensor_name":"a","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","units":{},"alarms":[]}"#,
    ])
    func agreesOn(_ text: String) {
        let bytes = Array(text.utf8)
        if let scanned = Self.scan(bytes) {
            #expect(Self.strict(bytes) == scanned, "\(text)")
        }
    }

    @Test("agrees on bytes that are not UTF-8", arguments: [
        [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xFF], [0x00],
    ] as [[UInt8]])
    func agreesOnInvalidUTF8(_ bad: [UInt8]) throws {
        let text = #"{"sensor_id":1,"sensor_name":"NAME","house_id":2,"kind":"leak","seq":0,"timestamp":"2025-03-01T07:05:09Z","sent_at_ns":5,"units":{},"alarms":[]}"#
        let parts = text.split(separator: "NAME", omittingEmptySubsequences: false)
        let bytes = Array(parts[0].utf8) + bad + Array(parts[1].utf8)
        #expect(Self.strict(bytes) == nil)
        #expect(Self.scan(bytes) == nil)
    }

    /// Seeded mutations of real payloads: flipped, deleted, inserted and
    /// repeated bytes. Wherever the scanner answers, the strict parser must
    /// give the same reading.
    @Test func agreesOnRandomMutations() {
        var random = SeededRandom(seed: 2026, stream: 4)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 "\abc"#.utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0x00, 0x0A]
        var scanned = 0
        for round in 0..<20_000 {
            var bytes = Self.payloads[round % Self.payloads.count]
            for _ in 0...Int(random.unit() * 3) {
                let position = Int(random.unit() * Double(bytes.count))
                let byte = alphabet[Int(random.unit() * Double(alphabet.count)) % alphabet.count]
                switch Int(random.unit() * 4) {
                case 0: bytes[min(position, bytes.count - 1)] = byte
                case 1: if !bytes.isEmpty { bytes.remove(at: min(position, bytes.count - 1)) }
                case 2: bytes.insert(byte, at: position)
                default:
                    let end = min(bytes.count, position + 1 + Int(random.unit() * 20))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            if let reading = Self.scan(bytes) {
                scanned += 1
                #expect(Self.strict(bytes) == reading, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(scanned > 100, "some mutations (digits, spaces, names) still scan")
    }
}
