/// The JSON Schema (draft 2020-12) of a kind's payload, generated from the
/// declarations so that the committed schema files can never drift from what
/// the writer produces: a test regenerates them and compares.
///
/// Besides types, ranges and allowed states, the schema states the alarm rules
/// as `if`/`then` pairs, so any JSON Schema validator checks that `alarms`
/// agrees with the values.
extension SensorDescriptor {
    public static let schemaDialect = "https://json-schema.org/draft/2020-12/schema"

    /// The file name under which the schema is committed: `<kind>.schema.json`.
    public var schemaFileName: String { "\(kind.rawValue).schema.json" }

    /// The schema file's exact content: two-space indentation and a final
    /// newline, so that the committed file, the CLI and the test agree byte for byte.
    public var schemaDocument: String { jsonSchema.serialized(indent: 2) + "\n" }

    public var jsonSchema: JSONValue {
        var properties: [JSONMember] = [
            JSONMember(Reading.Key.sensorID, ["type": "integer", "description": "The sensor's id, unique within the deployment."]),
            JSONMember(Reading.Key.sensorName, ["type": "string", "minLength": .integer(1), "description": "The sensor's name for people."]),
            JSONMember(Reading.Key.houseID, ["type": "integer", "description": "The house the sensor belongs to."]),
            JSONMember(Reading.Key.kind, ["const": .string(kind.rawValue)]),
            JSONMember(Reading.Key.seq, ["type": "integer", "minimum": .integer(0), "description": "Per-sensor sequence number, from 0, one more per reading sent."]),
            JSONMember(Reading.Key.timestamp, ["type": "string", "format": "date-time", "description": "When the reading was taken, RFC 3339 in UTC."]),
            JSONMember(Reading.Key.sentAt, ["type": "integer", "description": "When the payload was sent, Unix epoch nanoseconds; for latency measurement."]),
        ]
        for field in fields {
            properties.append(JSONMember(field.name, field.schema))
        }
        let unitMembers = fields.compactMap { field in field.unit.map { JSONMember(field.name, ["const": .string($0)]) } }
        properties.append(JSONMember(Reading.Key.units, .object([
            JSONMember("type", "object"),
            JSONMember("description", "The unit of each numeric field."),
            JSONMember("properties", .object(unitMembers)),
            JSONMember("required", .array(unitMembers.map { .string($0.key) })),
            JSONMember("additionalProperties", false),
        ])))
        properties.append(JSONMember(Reading.Key.alarms, .object([
            JSONMember("type", "array"),
            JSONMember("description", "The alarms active at this reading."),
            JSONMember("items", .object([JSONMember("enum", .array(alarms.map { .string($0.name) }))])),
            JSONMember("uniqueItems", true),
        ])))
        var schema: [JSONMember] = [
            JSONMember("$schema", .string(Self.schemaDialect)),
            JSONMember("$id", .string("urn:hearth:payload:\(kind.rawValue)")),
            JSONMember("title", .string("\(displayName) reading")),
            JSONMember("description", .string(summary)),
            JSONMember("type", "object"),
            JSONMember("properties", .object(properties)),
            JSONMember("required", .array((Reading.Key.all + fields.map(\.name)).map { .string($0) })),
            JSONMember("additionalProperties", false),
        ]
        let rules = alarms.flatMap(\.schemaRules)
        if !rules.isEmpty { schema.append(JSONMember("allOf", .array(rules))) }
        return .object(schema)
    }
}

extension FieldDescriptor {
    var schema: JSONValue {
        switch type {
        case .number(let number):
            return .object([
                JSONMember("type", "number"),
                JSONMember("minimum", .number(number.range.lowerBound)),
                JSONMember("maximum", .number(number.range.upperBound)),
                JSONMember("description", .string("\(summary) (\(number.unit))")),
            ])
        case .choice(let values):
            return .object([
                JSONMember("enum", .array(values.map { .string($0) })),
                JSONMember("description", .string(summary)),
            ])
        }
    }
}

extension AlarmDescriptor {
    /// `if` the values meet the raise condition `then` the alarm is listed;
    /// `if` they meet the clear condition `then` it is not.
    var schemaRules: [JSONValue] {
        func rule(_ field: String, _ condition: JSONValue, listed: Bool) -> JSONValue {
            let contains: JSONValue = .object([JSONMember("contains", .object([JSONMember("const", .string(name))]))])
            return .object([
                JSONMember("if", .object([
                    JSONMember("properties", .object([JSONMember(field, condition)])),
                    JSONMember("required", [.string(field)]),
                ])),
                JSONMember("then", .object([
                    JSONMember("properties", .object([
                        JSONMember(Reading.Key.alarms, listed ? contains : .object([JSONMember("not", contains)])),
                    ])),
                ])),
            ])
        }
        func enumOf(_ values: [String]) -> JSONValue { .object([JSONMember("enum", .array(values.map { .string($0) }))]) }
        switch trigger {
        case .above(let field, let raise, let clear):
            return [
                rule(field, .object([JSONMember("minimum", .number(raise))]), listed: true),
                rule(field, .object([JSONMember("exclusiveMaximum", .number(clear))]), listed: false),
            ]
        case .below(let field, let raise, let clear):
            return [
                rule(field, .object([JSONMember("maximum", .number(raise))]), listed: true),
                rule(field, .object([JSONMember("exclusiveMinimum", .number(clear))]), listed: false),
            ]
        case .states(let field, let raise, let clear):
            return [rule(field, enumOf(raise), listed: true), rule(field, enumOf(clear), listed: false)]
        case .device:
            return []
        }
    }
}
