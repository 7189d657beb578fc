/// A coding key spelled by a string literal, so request bodies can name
/// their snake_case fields inline instead of in a `CodingKeys` enum each.
struct AnyKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

extension KeyedDecodingContainer where Key == AnyKey {
    /// A string field that must be one of an enum's raw values; a wrong one
    /// is a 422 that lists the allowed values.
    func decodeEnumIfPresent<E: RawRepresentable & CaseIterable>(_ type: E.Type, forKey key: AnyKey) throws -> E? where E.RawValue == String {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        return try E.parse(text, field: key.stringValue)
    }

    /// ``patchRequired(_:forKey:)`` for an enum given by its raw value.
    func patchRequiredEnum<E: RawRepresentable & CaseIterable & Sendable>(_ type: E.Type, forKey key: AnyKey) throws -> PatchValue<E> where E.RawValue == String {
        switch try patchRequired(String.self, forKey: key) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text): return .value(try E.parse(text, field: key.stringValue))
        }
    }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    static func parse(_ text: String, field: String) throws(APIError) -> Self {
        guard let value = Self(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension PatchValue {
    /// Runs a field check on a given value; absent and null pass through.
    func validated(_ check: (Value) throws(APIError) -> Value) throws(APIError) -> PatchValue {
        if case .value(let value) = self { return .value(try check(value)) }
        return self
    }
}
