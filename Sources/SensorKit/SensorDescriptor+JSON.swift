/// The declarations as a JSON document: how a plugin loaded at run time hands
/// them across the C boundary (see `SensorPluginABI`), where no Swift type may
/// pass because the plugin's image has its own copy of SensorKit's metadata.
extension SensorDescriptor {
    public var json: JSONValue {
        func range(_ range: ClosedRange<Double>) -> JSONValue { [.number(range.lowerBound), .number(range.upperBound)] }
        let fieldList: [JSONValue] = fields.map { field in
            switch field.type {
            case .number(let number):
                return ["name": .string(field.name), "summary": .string(field.summary), "unit": .string(number.unit),
                        "range": range(number.range), "decimals": .integer(Int64(number.decimals))]
            case .choice(let values):
                return ["name": .string(field.name), "summary": .string(field.summary), "values": .array(values.map { .string($0) })]
            }
        }
        let alarmList: [JSONValue] = alarms.map { alarm in
            let trigger: JSONValue
            switch alarm.trigger {
            case .above(let field, let raise, let clear):
                trigger = ["above": .string(field), "raise": .number(raise), "clear": .number(clear)]
            case .below(let field, let raise, let clear):
                trigger = ["below": .string(field), "raise": .number(raise), "clear": .number(clear)]
            case .states(let field, let raise, let clear):
                trigger = ["states": .string(field), "raise": .array(raise.map { .string($0) }), "clear": .array(clear.map { .string($0) })]
            case .device(let text):
                trigger = ["device": .string(text)]
            }
            return ["name": .string(alarm.name), "summary": .string(alarm.summary), "trigger": trigger]
        }
        let eventList: [JSONValue] = events.map { event in
            ["name": .string(event.name), "summary": .string(event.summary), "parameters": .array(event.parameters.map { parameter in
                var members: [JSONMember] = [
                    JSONMember("name", .string(parameter.name)), JSONMember("summary", .string(parameter.summary)),
                    JSONMember("unit", .string(parameter.unit)), JSONMember("range", range(parameter.range)),
                ]
                if let value = parameter.defaultValue { members.append(JSONMember("default", .number(value))) }
                return .object(members)
            })]
        }
        let reportingValue: JSONValue
        switch reporting {
        case .periodic(let interval): reportingValue = ["periodic": .number(interval)]
        case .onChange(let debounce, let heartbeat): reportingValue = ["debounce": .number(debounce), "heartbeat": .number(heartbeat)]
        }
        return [
            "kind": .string(kind.rawValue), "display_name": .string(displayName), "summary": .string(summary),
            "fields": .array(fieldList), "alarms": .array(alarmList), "events": .array(eventList), "reporting": reportingValue,
        ]
    }

    /// Rebuilds declarations from `json`; throws if any part is missing or mistyped.
    public init(json: JSONValue) throws(PayloadParseError) {
        let reader = JSONReader(path: "descriptor")
        let fields = try reader.array(json, "fields").map { (item) throws(PayloadParseError) -> FieldDescriptor in
            let name = try reader.string(item, "name"), summary = try reader.string(item, "summary")
            if item["values"] != nil {
                return .choice(name, values: try reader.array(item, "values").map { (v) throws(PayloadParseError) in try reader.string(v) }, summary: summary)
            }
            let decimals = Int(try reader.number(item, "decimals"))
            guard (0...6).contains(decimals) else { throw reader.failure("decimals", "0...6") }
            return .number(name, unit: try reader.string(item, "unit"), range: try reader.range(item, "range"), decimals: decimals, summary: summary)
        }
        let alarms = try reader.array(json, "alarms").map { (item) throws(PayloadParseError) -> AlarmDescriptor in
            let trigger = try reader.object(item, "trigger")
            let rule: AlarmTrigger
            if let field = trigger["above"]?.stringValue {
                rule = .above(field: field, raise: try reader.number(trigger, "raise"), clear: try reader.number(trigger, "clear"))
            } else if let field = trigger["below"]?.stringValue {
                rule = .below(field: field, raise: try reader.number(trigger, "raise"), clear: try reader.number(trigger, "clear"))
            } else if let field = trigger["states"]?.stringValue {
                rule = .states(field: field, raise: try reader.strings(trigger, "raise"), clear: try reader.strings(trigger, "clear"))
            } else {
                rule = .device(try reader.string(trigger, "device"))
            }
            return AlarmDescriptor(name: try reader.string(item, "name"), summary: try reader.string(item, "summary"), trigger: rule)
        }
        guard alarms.count <= 64 else { throw reader.failure("alarms", "at most 64 alarms (an AlarmSet has 64 bits)") }
        let events = try reader.array(json, "events").map { (item) throws(PayloadParseError) -> EventDescriptor in
            EventDescriptor(
                name: try reader.string(item, "name"), summary: try reader.string(item, "summary"),
                parameters: try reader.array(item, "parameters").map { (p) throws(PayloadParseError) -> EventParameter in
                    EventParameter(
                        name: try reader.string(p, "name"), summary: try reader.string(p, "summary"), unit: try reader.string(p, "unit"),
                        range: try reader.range(p, "range"), defaultValue: p["default"]?.doubleValue
                    )
                }
            )
        }
        let reportingObject = try reader.object(json, "reporting")
        let reporting: ReportingMode = if let interval = reportingObject["periodic"]?.doubleValue {
            .periodic(interval: interval)
        } else {
            .onChange(debounce: try reader.number(reportingObject, "debounce"), heartbeat: try reader.number(reportingObject, "heartbeat"))
        }
        self.init(
            kind: SensorKind(try reader.string(json, "kind")), displayName: try reader.string(json, "display_name"),
            summary: try reader.string(json, "summary"), fields: fields, alarms: alarms, events: events, reporting: reporting
        )
    }
}

/// Typed access to a JSON document with errors that name the missing part.
struct JSONReader {
    let path: String

    func failure(_ key: String, _ expected: String) -> PayloadParseError {
        PayloadParseError(.wrongType, "\(path): '\(key)' must be \(expected)")
    }

    func string(_ value: JSONValue, _ key: String? = nil) throws(PayloadParseError) -> String {
        guard let text = (key.map { value[$0] } ?? value)?.stringValue else { throw failure(key ?? "item", "a string") }
        return text
    }

    func number(_ value: JSONValue, _ key: String) throws(PayloadParseError) -> Double {
        guard let number = value[key]?.doubleValue, number.isFinite else { throw failure(key, "a number") }
        return number
    }

    func array(_ value: JSONValue, _ key: String) throws(PayloadParseError) -> [JSONValue] {
        guard case .array(let items)? = value[key] else { throw failure(key, "an array") }
        return items
    }

    func object(_ value: JSONValue, _ key: String) throws(PayloadParseError) -> JSONValue {
        guard let member = value[key], case .object = member else { throw failure(key, "an object") }
        return member
    }

    func strings(_ value: JSONValue, _ key: String) throws(PayloadParseError) -> [String] {
        try array(value, key).map { (item) throws(PayloadParseError) in try string(item) }
    }

    func range(_ value: JSONValue, _ key: String) throws(PayloadParseError) -> ClosedRange<Double> {
        let bounds = try array(value, key).compactMap(\.doubleValue)
        guard bounds.count == 2, bounds[0].isFinite, bounds[1].isFinite, bounds[0] <= bounds[1] else {
            throw failure(key, "[lower, upper]")
        }
        return bounds[0]...bounds[1]
    }
}
