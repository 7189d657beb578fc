import SensorKit

/// A validator for the subset of JSON Schema 2020-12 that the generated payload
/// schemas use, so the conformance test can check payloads against a schema
/// without I/O. `SchemaFileTests` cross-checks it against Python's jsonschema.
///
/// Supported: type, const, enum, minimum, maximum, exclusiveMinimum,
/// exclusiveMaximum, minLength, required, properties, additionalProperties
/// (false), items, uniqueItems, contains, not, allOf, if/then. Annotations
/// ($schema, $id, title, description, format) are ignored, as the spec allows.
struct JSONSchemaSubset {
    let schema: JSONValue

    /// The first violation found, as "path: reason", or nil if `value` is valid.
    func violation(of value: JSONValue) -> String? {
        check(value, against: schema, path: "$")
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String) -> String? {
        guard case .object(let keywords) = schema else { return "\(path): schema is not an object" }
        for keyword in keywords {
            if let failure = apply(keyword, to: value, schema: schema, path: path) { return failure }
        }
        return nil
    }

    private func apply(_ keyword: JSONMember, to value: JSONValue, schema: JSONValue, path: String) -> String? {
        let rule = keyword.value
        switch keyword.key {
        case "$schema", "$id", "title", "description", "format", "then":
            return nil
        case "type":
            let type = rule.stringValue ?? ""
            let matches = value.typeName == type || (type == "number" && value.typeName == "integer")
            return matches ? nil : "\(path): expected \(type), found \(value.typeName)"
        case "const":
            return value == rule || numericEqual(value, rule) ? nil : "\(path): must be \(rule.serialized())"
        case "enum":
            guard case .array(let options) = rule else { return "\(path): bad enum" }
            return options.contains { $0 == value || numericEqual($0, value) } ? nil : "\(path): \(value.serialized()) not in enum"
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
            guard let number = value.doubleValue, let bound = rule.doubleValue else { return nil }
            let ok = switch keyword.key {
            case "minimum": number >= bound
            case "maximum": number <= bound
            case "exclusiveMinimum": number > bound
            default: number < bound
            }
            return ok ? nil : "\(path): \(number) violates \(keyword.key) \(bound)"
        case "minLength":
            guard let text = value.stringValue, let length = rule.doubleValue else { return nil }
            return Double(text.unicodeScalars.count) >= length ? nil : "\(path): shorter than \(length)"
        case "required":
            guard case .object = value, case .array(let names) = rule else { return nil }
            for name in names.compactMap(\.stringValue) where value[name] == nil { return "\(path): missing \(name)" }
            return nil
        case "properties":
            guard case .object(let members) = value, case .object(let schemas) = rule else { return nil }
            for member in members {
                guard let sub = schemas.first(where: { $0.key == member.key }) else { continue }
                if let failure = check(member.value, against: sub.value, path: "\(path).\(member.key)") { return failure }
            }
            return nil
        case "additionalProperties":
            guard case .object(let members) = value, rule == .bool(false) else { return nil }
            var declared: [String] = []
            if case .object(let list)? = schema["properties"] { declared = list.map(\.key) }
            for member in members where !declared.contains(member.key) { return "\(path): unexpected \(member.key)" }
            return nil
        case "items":
            guard case .array(let items) = value else { return nil }
            for (index, item) in items.enumerated() {
                if let failure = check(item, against: rule, path: "\(path)[\(index)]") { return failure }
            }
            return nil
        case "uniqueItems":
            guard case .array(let items) = value, rule == .bool(true) else { return nil }
            return Set(items).count == items.count ? nil : "\(path): items not unique"
        case "contains":
            guard case .array(let items) = value else { return nil }
            return items.contains { check($0, against: rule, path: path) == nil } ? nil : "\(path): no item matches contains"
        case "not":
            return check(value, against: rule, path: path) == nil ? "\(path): matches a 'not' schema" : nil
        case "allOf":
            guard case .array(let schemas) = rule else { return "\(path): bad allOf" }
            for sub in schemas {
                if let failure = check(value, against: sub, path: path) { return failure }
            }
            return nil
        case "if":
            guard check(value, against: rule, path: path) == nil, let then = schema["then"] else { return nil }
            return check(value, against: then, path: path)
        default:
            return "\(path): keyword \(keyword.key) is outside the supported subset"
        }
    }

    private func numericEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let x = a.doubleValue, let y = b.doubleValue else { return false }
        return x == y
    }
}
