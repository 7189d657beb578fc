import Testing
import SensorKit
import SensorCatalog

@Suite("Payload encoding, parsing and validation")
struct PayloadTests {
    let fire = SensorCatalog.builtIn.descriptor(for: .fireCO)!

    func reading(name: String = "Hall", co: Double = 3.2, smoke: String = "Low", alarms: [String] = []) -> Reading {
        Reading(
            sensorID: 17, sensorName: name, houseID: 3, kind: .fireCO, seq: 41,
            timestamp: Timestamp(rfc3339: "2025-03-01T07:05:09.250Z")!,
            sentAt: Timestamp(nanosecondsSinceEpoch: 1_740_812_709_250_123_456),
            fields: [
                ReadingField(name: "co_detection", value: .number(co), unit: "ppm"),
                ReadingField(name: "smart_level", value: .text(smoke)),
                ReadingField(name: "temperature", value: .number(21.5), unit: "°C"),
                ReadingField(name: "humidity", value: .number(44.0), unit: "%"),
            ],
            alarms: alarms
        )
    }

    @Test func writesTheDocumentedPayload() throws {
        let payload = String(decoding: try fire.encode(reading()), as: UTF8.self)
        #expect(payload == #"{"sensor_id":17,"sensor_name":"Hall","house_id":3,"kind":"fire_co","seq":41,"timestamp":"2025-03-01T07:05:09.250Z","sent_at_ns":1740812709250123456,"co_detection":3.2,"smart_level":"Low","temperature":21.5,"humidity":44.0,"units":{"co_detection":"ppm","temperature":"°C","humidity":"%"},"alarms":[]}"#)
    }

    @Test("round-trips names that need escaping", arguments: ["Kid's \"den\"", "back\\slash", "tab\there\nline", "\u{0}\u{1F}", "Küche 🔥"])
    func roundTrips(_ name: String) throws {
        let original = reading(name: name, co: 120, smoke: "High", alarms: ["co", "smoke"])
        #expect(try Reading(payload: fire.encode(original)) == original)
    }

    @Test func appendsToAReusedBufferAndWritesNothingOnFailure() throws {
        var buffer: [UInt8] = Array("prefix".utf8)
        #expect(throws: ReadingValidationError.self) { try fire.encode(reading(co: 5000), into: &buffer) }
        #expect(buffer == Array("prefix".utf8))
        try fire.encode(reading(), into: &buffer)
        #expect(buffer.starts(with: Array("prefix{".utf8)))
    }

    @Test("refuses to write invalid readings", arguments: [
        Breakage(.outOfRange, { r in r.fields[0].value = .number(-1) }),
        Breakage(.outOfRange, { r in r.fields[0].value = .number(.nan) }),
        Breakage(.notAllowedValue, { r in r.fields[1].value = .text("Extreme") }),
        Breakage(.wrongType, { r in r.fields[1].value = .number(2) }),
        Breakage(.wrongType, { r in r.fields[0].value = .text("3") }),
        Breakage(.wrongUnit, { r in r.fields[2].unit = "°F" }),
        Breakage(.wrongUnit, { r in r.fields[1].unit = "level" }),
        Breakage(.missingField, { r in r.fields.removeLast() }),
        Breakage(.unexpectedField, { r in r.fields.append(ReadingField(name: "battery", value: .number(90), unit: "%")) }),
        Breakage(.duplicateField, { r in r.fields.append(r.fields[0]) }),
        Breakage(.wrongKind, { r in r.kind = .leak }),
        Breakage(.emptySensorName, { r in r.sensorName = "" }),
        Breakage(.unknownAlarm, { r in r.alarms = ["flood"] }),
        Breakage(.duplicateAlarm, { r in r.alarms = ["co", "co"]; r.fields[0].value = .number(80) }),
        Breakage(.alarmNotRaised, { r in r.fields[0].value = .number(70) }),
        Breakage(.alarmNotRaised, { r in r.fields[1].value = .text("High") }),
        Breakage(.alarmNotCleared, { r in r.alarms = ["co"] }),
        Breakage(.alarmNotCleared, { r in r.alarms = ["smoke"]; r.fields[0].value = .number(50) }),
    ])
    func refusesInvalidReadings(_ breakage: Breakage) {
        let code = breakage.code
        var broken = reading()
        breakage.apply(&broken)
        do {
            _ = try fire.encode(broken)
            Issue.record("encoded an invalid reading")
        } catch {
            #expect(error.code == code, "\(error.message)")
        }
    }

    @Test func hysteresisBandAcceptsEitherAlarmState() throws {
        // 50 ppm is between the clear (30) and raise (70) levels: both are valid.
        try fire.validate(reading(co: 50, alarms: ["co"]))
        try fire.validate(reading(co: 50))
        try fire.validate(reading(smoke: "Moderate", alarms: ["smoke"]))
    }

    @Test func fieldsOutOfOrderAreCheckedByNameAndWrittenInDeclaredOrder() throws {
        // Another producer may order the fields differently: judged by name,
        // and written back in declared order.
        var shuffled = reading(co: 120, smoke: "High", alarms: ["co", "smoke"])
        shuffled.fields.reverse()
        #expect(try fire.encode(shuffled) == fire.encode(reading(co: 120, smoke: "High", alarms: ["co", "smoke"])))
        shuffled.fields[0].value = .number(101)  // humidity, now first
        #expect(throws: ReadingValidationError.self) { try fire.validate(shuffled) }
    }

    @Test("a kept encoder writes what the strict parser reads back, reading after reading", arguments: SensorKind.builtIn)
    func keptEncoderRoundTrips(_ kind: SensorKind) throws {
        // The publisher keeps one ReadingEncoder per kind, whose fixed bytes
        // (keys, kind, units) are written once; every reading must still
        // come back whole, alarms included.
        let plugin = try #require(SensorCatalog.builtIn.plugin(for: kind))
        let encoder = ReadingEncoder(plugin.descriptor)
        let group = plugin.makeGroup()
        let start = Timestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000)
        for sensor in 0 ..< 20 { _ = group.addSensor(seed: 3, stream: UInt64(sensor), at: start) }
        var buffer: [UInt8] = []
        var written = 0
        for step in 1 ... 30 {
            let now = Timestamp(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch + Int64(step) * 60_000_000_000)
            for sensor in 0 ..< 20 {
                guard let made = group.nextReading(sensor, at: now, identity: SensorIdentity(houseID: 1, sensorID: sensor + 1, name: "s\(sensor)")) else { continue }
                buffer.removeAll(keepingCapacity: true)
                try encoder.encode(made, into: &buffer)
                #expect(try Reading(payload: buffer) == made)
                #expect(buffer == (try plugin.descriptor.encode(made)))
                written += 1
            }
        }
        #expect(written > 0)
    }

    @Test("parse rejects payloads of the wrong shape", arguments: [
        ("[]", PayloadParseError.Code.notAnObject),
        (#"{"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#, .missingKey),
        (#"{"sensor_id":"1","sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#, .wrongType),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":-1,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#, .wrongType),
        (#"{"sensor_id":1.5,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#, .wrongType),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"yesterday","sent_at_ns":1,"units":{},"alarms":[]}"#, .invalidTimestamp),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"x":true}"#, .wrongType),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{"x":"%"},"alarms":[]}"#, .wrongType),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"alarms":[1]}"#, .wrongType),
        (#"{"sensor_id":1,"sensor_id":2}"#, .duplicateKey),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"alarms":[]}"#, .missingKey),
        (#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"k","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{}}"#, .missingKey),
    ])
    func parseRejects(_ text: String, _ code: PayloadParseError.Code) {
        do {
            _ = try Reading(payload: Array(text.utf8))
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.code == code, "\(error.message)")
        }
    }

    @Test func parsedPayloadFromElsewhereValidates() throws {
        // Another producer may order keys differently and write integers for numbers.
        let text = #"{"kind":"fire_co","alarms":["co"],"units":{"humidity":"%","temperature":"°C","co_detection":"ppm"},"humidity":40,"temperature":35,"smart_level":"Moderate","co_detection":95,"sent_at_ns":5,"timestamp":"2025-03-01T08:05:09.25+01:00","seq":0,"house_id":1,"sensor_name":"x","sensor_id":2}"#
        let parsed = try Reading(payload: Array(text.utf8))
        try fire.validate(parsed)
        #expect(parsed.timestamp == Timestamp(rfc3339: "2025-03-01T07:05:09.250Z"))
        #expect(parsed[field: "co_detection"] == .number(95))
    }
}

/// A way to spoil a valid reading, and the validation code it must produce.
struct Breakage: Sendable {
    let code: ReadingValidationError.Code
    let apply: @Sendable (inout Reading) -> Void

    init(_ code: ReadingValidationError.Code, _ apply: @escaping @Sendable (inout Reading) -> Void) {
        self.code = code
        self.apply = apply
    }
}

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test("formats UTC with milliseconds", arguments: [
        (0, "1970-01-01T00:00:00.000Z"),
        (951_782_400_000_000_000, "2000-02-29T00:00:00.000Z"),
        (1_740_812_709_250_999_999, "2025-03-01T07:05:09.250Z"),
        (-1_000_000, "1969-12-31T23:59:59.999Z"),
    ] as [(Int64, String)])
    func formats(_ nanoseconds: Int64, _ text: String) {
        #expect(Timestamp(nanosecondsSinceEpoch: nanoseconds).rfc3339 == text)
    }

    @Test func parsesOffsetsAndFractions() {
        #expect(Timestamp(rfc3339: "2025-03-01T07:05:09Z")?.nanosecondsSinceEpoch == 1_740_812_709_000_000_000)
        #expect(Timestamp(rfc3339: "2025-03-01T09:35:09.123456789+02:30")?.nanosecondsSinceEpoch == 1_740_812_709_123_456_789)
        #expect(Timestamp(rfc3339: "2025-03-01T02:05:09-05:00") == Timestamp(rfc3339: "2025-03-01T07:05:09Z"))
    }

    @Test("rejects what is not a date-time", arguments: [
        "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z",
        "2025-01-01 00:00:00", "2025-01-01T00:00:00", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00+0100", "20250101T000000Z", "",
    ])
    func rejects(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}

@Suite("Catalogue decoding")
struct CatalogDecodingTests {
    let catalog = SensorCatalog.builtIn

    @Test func decodesAndValidatesAGeneratedPayload() throws {
        var drive = PluginDrive(catalog.plugin(for: .garage)!)
        let reading = try #require(drive.run(for: 10, every: 10).last)
        #expect(try catalog.decode(payload: catalog.descriptor(for: .garage)!.encode(reading)) == reading)
    }

    @Test("rejects with a countable code", arguments: [
        ([0xFF], "parse.invalid_utf8"),
        (Array("{".utf8), "parse.malformed_json"),
        (Array(#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"sauna","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#.utf8), "unknown_kind"),
        (Array(#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"door_window","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"status":"Ajar","units":{},"alarms":[]}"#.utf8), "invalid.not_allowed_value"),
        (Array(#"{"sensor_id":1,"sensor_name":"a","house_id":1,"kind":"door_window","seq":0,"timestamp":"2025-01-01T00:00:00Z","sent_at_ns":1,"units":{},"alarms":[]}"#.utf8), "invalid.missing_field"),
    ] as [([UInt8], String)])
    func rejects(_ payload: [UInt8], _ code: String) {
        do {
            _ = try catalog.decode(payload: payload)
            Issue.record("accepted")
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }

    @Test func everyBuiltInKindIsCatalogued() {
        #expect(catalog.kinds == SensorKind.builtIn)
        #expect(catalog.plugin(for: .thermostat)?.supportedEvents.map(\.name) == ["setpoint"])
    }
}
