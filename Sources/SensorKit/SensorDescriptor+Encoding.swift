/// Writing a reading as its JSON payload. This is the hot path of the load
/// generator, so it appends straight into a reusable byte buffer, and it
/// validates first: a malformed reading can never reach the wire.
extension SensorDescriptor {
    /// The payload of `reading` as UTF-8 JSON bytes.
    public func encode(_ reading: Reading) throws(ReadingValidationError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        try encode(reading, into: &bytes)
        return bytes
    }

    /// Appends the payload of `reading` to `bytes` (reuse one buffer per
    /// publisher: `removeAll(keepingCapacity: true)` between readings). On a
    /// validation error nothing is appended.
    ///
    /// Key order: sensor_id, sensor_name, house_id, kind, seq, timestamp,
    /// sent_at_ns, the value fields in declared order, units, alarms.
    public func encode(_ reading: Reading, into bytes: inout [UInt8]) throws(ReadingValidationError) {
        try validate(reading)
        var writer = JSONWriter(capacity: 0)
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        writer.byte("{")
        writer.key(Reading.Key.sensorID); writer.integer(Int64(reading.sensorID)); writer.byte(",")
        writer.key(Reading.Key.sensorName); writer.string(reading.sensorName); writer.byte(",")
        writer.key(Reading.Key.houseID); writer.integer(Int64(reading.houseID)); writer.byte(",")
        writer.key(Reading.Key.kind); writer.string(reading.kind.rawValue); writer.byte(",")
        writer.key(Reading.Key.seq); writer.unsigned(reading.seq); writer.byte(",")
        writer.key(Reading.Key.timestamp); writer.byte("\""); reading.timestamp.appendRFC3339(to: &writer.bytes); writer.byte("\"")
        writer.byte(",")
        writer.key(Reading.Key.sentAt); writer.integer(reading.sentAt.nanosecondsSinceEpoch)
        for declared in fields {
            guard let value = reading[field: declared.name] else { continue }
            writer.byte(",")
            writer.key(declared.name)
            switch (declared.type, value) {
            case (.number(let number), .number(let x)): writer.fixed(x, decimals: number.decimals)
            case (_, .text(let text)): writer.string(text)
            case (.choice, .number(let x)): writer.number(x)  // unreachable after validation
            }
        }
        writer.byte(",")
        writer.key(Reading.Key.units)
        writer.byte("{")
        var first = true
        for declared in fields {
            guard let unit = declared.unit else { continue }
            writer.comma(&first)
            writer.key(declared.name)
            writer.string(unit)
        }
        writer.byte("}")
        writer.byte(",")
        writer.key(Reading.Key.alarms)
        writer.byte("[")
        first = true
        for alarm in reading.alarms {
            writer.comma(&first)
            writer.string(alarm)
        }
        writer.byte("]")
        writer.byte("}")
    }
}
