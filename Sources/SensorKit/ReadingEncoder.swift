/// Writes readings of one kind as their JSON payloads: the publisher's hot
/// path, tens of thousands a second.
///
/// Every byte that depends only on the kind is encoded once, here, instead
/// of for every reading: the fixed keys, each declared field's key, the kind,
/// and the whole `units` object (units are declared, not measured). Readings
/// are validated first, so a malformed reading can never reach the wire.
///
/// Key order: sensor_id, sensor_name, house_id, kind, seq, timestamp,
/// sent_at_ns, the value fields in declared order, units, alarms.
public struct ReadingEncoder: Sendable {
    public let descriptor: SensorDescriptor
    /// `,"name":` for each declared field, in declared order.
    private let fieldKeys: [[UInt8]]
    /// `,"kind":"<kind>"`: a validated reading has the encoder's kind.
    private let kindMember: [UInt8]
    /// `,"units":{…},"alarms":[`
    private let unitsThenAlarms: [UInt8]

    // The fixed keys, with the punctuation around them. Stored per encoder,
    // not `static`, so the hot path reads them without a once-check each.
    private let sensorIDKey = literal("{", Reading.Key.sensorID)
    private let sensorNameKey = literal(",", Reading.Key.sensorName)
    private let houseIDKey = literal(",", Reading.Key.houseID)
    private let seqKey = literal(",", Reading.Key.seq)
    private let timestampKey = literal(",", Reading.Key.timestamp) + [UInt8(ascii: "\"")]
    private let sentAtKey = [UInt8(ascii: "\"")] + literal(",", Reading.Key.sentAt)

    public init(_ descriptor: SensorDescriptor) {
        self.descriptor = descriptor
        fieldKeys = descriptor.fields.map { literal(",", $0.name) }
        var kind = JSONWriter(capacity: 32)
        kind.string(descriptor.kind.rawValue)
        kindMember = literal(",", Reading.Key.kind) + kind.bytes
        var units = JSONWriter(capacity: 128)
        units.bytes = literal(",", Reading.Key.units)
        units.byte("{")
        var first = true
        for declared in descriptor.fields {
            guard let unit = declared.unit else { continue }
            units.comma(&first)
            units.key(declared.name)
            units.string(unit)
        }
        units.byte("}")
        unitsThenAlarms = units.bytes + literal(",", Reading.Key.alarms) + [UInt8(ascii: "[")]
    }

    /// Appends the payload of `reading` to `bytes` (reuse one buffer per
    /// publisher: `removeAll(keepingCapacity: true)` between readings). On a
    /// validation error nothing is appended.
    public func encode(_ reading: Reading, into bytes: inout [UInt8]) throws(ReadingValidationError) {
        try descriptor.validate(reading)
        var writer = JSONWriter(capacity: 0)
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        writer.bytes.append(contentsOf: sensorIDKey)
        writer.integer(Int64(reading.sensorID))
        writer.bytes.append(contentsOf: sensorNameKey)
        writer.string(reading.sensorName)
        writer.bytes.append(contentsOf: houseIDKey)
        writer.integer(Int64(reading.houseID))
        writer.bytes.append(contentsOf: kindMember)
        writer.bytes.append(contentsOf: seqKey)
        writer.unsigned(reading.seq)
        writer.bytes.append(contentsOf: timestampKey)
        reading.timestamp.appendRFC3339(to: &writer.bytes)
        writer.bytes.append(contentsOf: sentAtKey)
        writer.integer(reading.sentAt.nanosecondsSinceEpoch)
        for (declared, key) in zip(descriptor.fields, fieldKeys) {
            guard let value = reading[field: declared.name] else { continue }
            writer.bytes.append(contentsOf: key)
            switch (declared.type, value) {
            case (.number(let number), .number(let x)): writer.fixed(x, decimals: number.decimals)
            case (_, .text(let text)): writer.string(text)
            case (.choice, .number(let x)): writer.number(x)  // unreachable after validation
            }
        }
        writer.bytes.append(contentsOf: unitsThenAlarms)
        var first = true
        for alarm in reading.alarms {
            writer.comma(&first)
            writer.string(alarm)
        }
        writer.byte("]")
        writer.byte("}")
    }
}

/// `<prefix>"<key>":`, for ``ReadingEncoder``'s fixed bytes.
private func literal(_ prefix: Unicode.Scalar, _ key: String) -> [UInt8] {
    var writer = JSONWriter(capacity: key.utf8.count + 4)
    writer.byte(prefix)
    writer.key(key)
    return writer.bytes
}
