/// One field of a PATCH body: left out, set to null, or set to a value.
///
/// PATCH changes only the fields it names, so "absent" and "null" must stay
/// apart: `{"end_date": null}` ends nothing, it clears the end date, while
/// `{}` leaves it alone. Optional alone cannot tell the two apart.
enum PatchValue<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }

    /// The new value, or nil when absent or null.
    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// For a column that may hold NULL: whether to write it, and what.
    var assignment: (write: Bool, value: Value?) {
        switch self {
        case .absent: (false, nil)
        case .null: (true, nil)
        case .value(let value): (true, value)
        }
    }
}

extension KeyedDecodingContainer {
    /// Reads a PATCH field, keeping absent and null apart.
    func patch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> PatchValue<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }

    /// Reads a PATCH field whose column cannot be NULL: null is a 422.
    func patchRequired<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> PatchValue<Value> {
        let value = try patch(type, forKey: key)
        if case .null = value { throw APIError.invalid(key.stringValue, "must not be null") }
        return value
    }
}
