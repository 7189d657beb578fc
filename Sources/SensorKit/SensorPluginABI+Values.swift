/// How values and events cross the C boundary: a number as itself, a state as
/// the index of its value in the field's declared list, an event as JSON.
extension SensorPluginABI {
    /// A value as a double; a state not in the declared list becomes -1, which
    /// `decode` turns into a value that fails validation, so it never reaches
    /// the wire.
    public static func encode(_ value: FieldValue, as field: FieldDescriptor) -> Double {
        switch (value, field.type) {
        case (.number(let number), _): return number
        case (.text(let text), .choice(let values)): return values.firstIndex(of: text).map(Double.init) ?? -1
        case (.text, .number): return .nan
        }
    }

    public static func decode(_ raw: Double, as field: FieldDescriptor) -> FieldValue {
        switch field.type {
        case .number: return .number(raw)
        case .choice(let values):
            guard raw.isFinite, raw >= 0, raw < Double(values.count) else { return .text("") }
            return .text(values[Int(raw)])
        }
    }
}

extension SensorEvent {
    /// `{"name": ..., "parameters": {...}}`, as events cross the C boundary.
    public var json: JSONValue {
        let parameterList = parameters.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number($0.value)) }
        return ["name": .string(name), "parameters": .object(parameterList)]
    }

    public init(json: JSONValue) throws(PayloadParseError) {
        let reader = JSONReader(path: "event")
        let name = try reader.string(json, "name")
        guard case .object(let members)? = json["parameters"] else { throw reader.failure("parameters", "an object") }
        var parameters: [String: Double] = [:]
        for member in members {
            guard let value = member.value.doubleValue else { throw reader.failure(member.key, "a number") }
            parameters[member.key] = value
        }
        self.init(name: name, parameters: parameters)
    }
}
