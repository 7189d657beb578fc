/// Reading a payload back into a `Reading`, for the subscriber.
///
/// This checks the envelope only (well-formed UTF-8 JSON, the fixed keys with
/// their types, value fields that are numbers or strings). Whether the values
/// fit the kind is `SensorDescriptor.validate(_:)`'s job, because the kind is
/// only known once the payload is parsed.
extension Reading {
    public init(payload: some Collection<UInt8>) throws(PayloadParseError) {
        guard case .object(let members) = try JSONParser.parse(payload) else {
            throw PayloadParseError(.notAnObject, "a payload must be a JSON object")
        }
        var values: [ReadingField] = []
        var units: [JSONMember]? = nil
        var alarms: [String]? = nil
        for member in members {
            switch member.key {
            case Key.sensorID, Key.sensorName, Key.houseID, Key.kind, Key.seq, Key.timestamp, Key.sentAt:
                continue
            case Key.units:
                guard case .object(let list) = member.value else { throw Self.wrongType(Key.units, "an object") }
                units = list
            case Key.alarms:
                guard case .array(let list) = member.value else { throw Self.wrongType(Key.alarms, "an array of strings") }
                alarms = try list.map { (item) throws(PayloadParseError) -> String in
                    guard case .string(let name) = item else { throw Self.wrongType(Key.alarms, "an array of strings") }
                    return name
                }
            default:
                switch member.value {
                case .integer, .number: values.append(ReadingField(name: member.key, value: .number(member.value.doubleValue!)))
                case .string(let text): values.append(ReadingField(name: member.key, value: .text(text)))
                default: throw Self.wrongType(member.key, "a number or a string")
                }
            }
        }
        // Both are part of the contract (and required by the schemas), even when empty.
        guard let units else { throw PayloadParseError(.missingKey, "payload lacks '\(Key.units)'") }
        guard let alarms else { throw PayloadParseError(.missingKey, "payload lacks '\(Key.alarms)'") }
        for unit in units {
            guard case .string(let text) = unit.value else { throw Self.wrongType("\(Key.units).\(unit.key)", "a string") }
            guard let position = values.firstIndex(where: { $0.name == unit.key }) else {
                throw PayloadParseError(.wrongType, "units names '\(unit.key)', which is not a value field of the payload")
            }
            values[position].unit = text
        }
        let document = JSONValue.object(members)
        let timestampText = try Self.required(document, Key.timestamp, "an RFC 3339 string") { $0.stringValue }
        guard let timestamp = Timestamp(rfc3339: timestampText) else {
            throw PayloadParseError(.invalidTimestamp, "timestamp '\(timestampText)' is not an RFC 3339 date-time")
        }
        self.init(
            sensorID: try Self.required(document, Key.sensorID, "an integer") { Self.int($0) },
            sensorName: try Self.required(document, Key.sensorName, "a string") { $0.stringValue },
            houseID: try Self.required(document, Key.houseID, "an integer") { Self.int($0) },
            kind: SensorKind(try Self.required(document, Key.kind, "a string") { $0.stringValue }),
            seq: try Self.required(document, Key.seq, "a non-negative integer") { Self.int($0).flatMap { UInt64(exactly: $0) } },
            timestamp: timestamp,
            sentAt: Timestamp(nanosecondsSinceEpoch: try Self.required(document, Key.sentAt, "an integer") { Self.int($0).map(Int64.init) }),
            fields: values,
            alarms: alarms
        )
    }

    private static func int(_ value: JSONValue) -> Int? {
        if case .integer(let number) = value { return Int(exactly: number) }
        return nil
    }

    private static func wrongType(_ key: String, _ expected: String) -> PayloadParseError {
        PayloadParseError(.wrongType, "'\(key)' must be \(expected)")
    }

    private static func required<T>(
        _ document: JSONValue, _ key: String, _ expected: String, _ convert: (JSONValue) -> T?
    ) throws(PayloadParseError) -> T {
        guard let value = document[key] else { throw PayloadParseError(.missingKey, "payload lacks '\(key)'") }
        guard let converted = convert(value) else { throw wrongType(key, expected) }
        return converted
    }
}
