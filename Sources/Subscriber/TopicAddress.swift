/// The house and sensor a reading topic names: `houses/{house_id}/sensors/{sensor_id}`.
///
/// Parsed straight from the received bytes (no `String` per message); ids
/// are decimal without sign or leading zeros, as the publisher writes them,
/// so one sensor has exactly one topic and one Redis key.
struct TopicAddress: Hashable, Sendable {
    var houseID: Int
    var sensorID: Int

    private static let housesPrefix = Array("houses/".utf8)
    private static let sensorsInfix = Array("/sensors/".utf8)

    init(houseID: Int, sensorID: Int) {
        self.houseID = houseID
        self.sensorID = sensorID
    }

    /// Nil unless `topic` is exactly a reading topic.
    init?(topic: ArraySlice<UInt8>) {
        var index = topic.startIndex
        guard Self.skip(Self.housesPrefix, in: topic, at: &index), let house = Self.decimal(in: topic, at: &index),
              Self.skip(Self.sensorsInfix, in: topic, at: &index), let sensor = Self.decimal(in: topic, at: &index),
              index == topic.endIndex else { return nil }
        houseID = house
        sensorID = sensor
    }

    /// A bare decimal id (a Redis Streams `house` or `sensor` field).
    static func id(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        guard let value = decimal(in: bytes, at: &index), index == bytes.endIndex else { return nil }
        return value
    }

    /// The topic, for readings that arrive without one (Redis Streams entries
    /// that carry only `house` and `sensor` fields) and for dead-letter samples.
    var topic: String { "houses/\(houseID)/sensors/\(sensorID)" }

    /// `house:{h}:sensor:{s}:latest`, appended to `buffer` (DESIGN.md's Redis contract).
    func appendLatestKey(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "house:{".utf8)
        Self.appendDecimal(houseID, to: &buffer)
        buffer.append(contentsOf: "}:sensor:".utf8)
        Self.appendDecimal(sensorID, to: &buffer)
        buffer.append(contentsOf: ":latest".utf8)
    }

    /// The Redis key of the latest reading, as a string (tests, tools).
    var latestKey: String {
        var bytes: [UInt8] = []
        appendLatestKey(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func skip(_ literal: [UInt8], in bytes: ArraySlice<UInt8>, at index: inout Int) -> Bool {
        guard bytes.endIndex - index >= literal.count else { return false }
        for (offset, byte) in literal.enumerated() where bytes[index + offset] != byte { return false }
        index += literal.count
        return true
    }

    /// A decimal id of 1 to 18 digits, no sign, no leading zero (except "0" itself).
    private static func decimal(in bytes: ArraySlice<UInt8>, at index: inout Int) -> Int? {
        var value = 0
        var digits = 0
        while index < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            if digits == 1 && value == 0 { return nil }
            guard digits < 18 else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }

    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        appendDecimal(value / 10, to: &buffer)
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
