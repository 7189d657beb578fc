import Yams

/// Typed values. Each returns nil after reporting a message that names the
/// key, what it must be (the allowed values or range) and what it got.
extension ScenarioReader {
    /// The text of a scalar; a list, mapping or missing value is reported.
    func scalar(_ node: Node, _ path: String, expected: String) -> String? {
        guard visit(node) else { return nil }
        guard case .scalar(let scalar) = node else {
            report("\(path) must be \(expected); got \(node.phrase)", at: node)
            return nil
        }
        guard !node.isNull else {
            report("\(path) needs a value: \(expected)", at: node)
            return nil
        }
        return scalar.string
    }

    func text(_ node: Node, _ path: String, maximumLength: Int = 10_000) -> String? {
        guard let text = scalar(node, path, expected: "text") else { return nil }
        guard text.count <= maximumLength else {
            report("\(path) is \(text.count.grouped) characters long; at most \(maximumLength.grouped) are allowed", at: node)
            return nil
        }
        return text
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard let text = scalar(node, path, expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report("\(path) must be true or false; got '\(text.shown)'", at: node)
            return nil
        }
    }

    func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        let expected = "a whole number from \(range.lowerBound.grouped) to \(range.upperBound.grouped)"
        guard let text = scalar(node, path, expected: expected) else { return nil }
        guard let value = Self.wholeNumber(text), range.contains(value) else {
            report("\(path) must be \(expected); got '\(text.shown)'", at: node)
            return nil
        }
        return value
    }

    /// A decimal number such as a setpoint; `unit` is shown in messages.
    func number(_ node: Node, _ path: String, in range: ClosedRange<Double>, unit: String) -> Double? {
        let expected = "a number from \(Rate.format(range.lowerBound)) to \(Rate.format(range.upperBound))\(unit.isEmpty ? "" : " " + unit)"
        guard let text = scalar(node, path, expected: expected) else { return nil }
        let body = text.trimmingBlanks
        let magnitude = DecimalPrefix.read(body.hasPrefix("-") || body.hasPrefix("+") ? body.dropFirst() : body)
        guard let magnitude, magnitude.rest.isEmpty else {
            report("\(path) must be \(expected); got '\(text.shown)'", at: node)
            return nil
        }
        let value = body.hasPrefix("-") ? -magnitude.value : magnitude.value
        guard range.contains(value) else {
            report("\(path) must be \(expected); got '\(text.shown)'", at: node)
            return nil
        }
        return value
    }

    func duration(_ node: Node, _ path: String, in range: ClosedRange<Duration>) -> Duration? {
        let expected = "a duration from \(range.lowerBound.scenarioText) to \(range.upperBound.scenarioText), like 90s, 5m, 1.5h or 250ms"
        return measured(node, path, expected: expected, in: range) { (text) throws(UnitSyntaxError) in try Duration(scenarioText: text) }
    }

    func size(_ node: Node, _ path: String, in range: ClosedRange<ByteSize>) -> ByteSize? {
        let expected = "a size from \(range.lowerBound.scenarioText) to \(range.upperBound.scenarioText), like 256mb or 1gb"
        return measured(node, path, expected: expected, in: range) { (text) throws(UnitSyntaxError) in try ByteSize(scenarioText: text) }
    }

    /// A value with a unit: the parser's own message when the text does not
    /// read, the allowed range when it reads but does not fit.
    private func measured<Value: Comparable>(_ node: Node, _ path: String, expected: String, in range: ClosedRange<Value>, parse: (String) throws(UnitSyntaxError) -> Value) -> Value? {
        guard let text = scalar(node, path, expected: expected) else { return nil }
        let value: Value
        do {
            value = try parse(text)
        } catch {
            report("\(path): \(error.message)", at: node)
            return nil
        }
        guard range.contains(value) else {
            report("\(path) must be \(expected); got '\(text.shown)'", at: node)
            return nil
        }
        return value
    }

    /// A rate, checked against the per-sensor and total limits; whether 0
    /// is allowed depends on where the rate is used.
    func rate(_ node: Node, _ path: String, allowZero: Bool) -> Rate? {
        let expected = "a rate like 200/s, 12000/min, 0.2/s per sensor or every 5s"
        guard let text = scalar(node, path, expected: expected) else { return nil }
        let rate: Rate
        do {
            rate = try Rate(scenarioText: text)
        } catch {
            report("\(path): \(error.message)", at: node)
            return nil
        }
        if !allowZero, rate.perSecond == 0 {
            report("\(path) must be above 0; got '\(text.shown)'", at: node)
            return nil
        }
        switch rate.basis {
        case .perSensor where rate.perSecond > LoadProfile.maximumPerSensorRate:
            report("\(path) is \(Rate.format(rate.perSecond))/s per sensor; one sensor sends at most \(Int(LoadProfile.maximumPerSensorRate))/s (every 1ms)", at: node)
            return nil
        case .total where rate.perSecond > LoadProfile.maximumTotalRate:
            report("\(path) is \(Rate.format(rate.perSecond))/s; the total rate is at most \(Int(LoadProfile.maximumTotalRate).grouped)/s", at: node)
            return nil
        default:
            return rate
        }
    }

    /// One of an enumeration's raw values, with a suggestion for typos.
    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, as _: Choice.Type) -> Choice? where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        let expected = "one of \(allowed.joined(separator: ", "))"
        guard let text = scalar(node, path, expected: expected) else { return nil }
        guard let value = Choice(rawValue: text) ?? Choice(rawValue: text.lowercased()) else {
            report("\(path) must be \(expected); got '\(text.shown)'\(Suggestion.didYouMean(text, among: allowed))", at: node)
            return nil
        }
        return value
    }

    /// Digits with optional `_` separators and sign; nil for anything else,
    /// including fractions and exponents such as `1e12`.
    static func wholeNumber(_ text: String) -> Int? {
        var body = text.trimmingBlanks
        let negative = body.hasPrefix("-")
        if negative || body.hasPrefix("+") { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber, body.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else {
            return nil
        }
        guard let magnitude = Int(String(body.filter { $0 != "_" })) else { return nil }
        return negative ? -magnitude : magnitude
    }
}

extension ScenarioReader {
    /// A name shown to people (a stage, sensor, appliance, house group):
    /// not blank, and short enough for a report column.
    func label(_ node: Node, _ path: String, maximumLength: Int) -> String? {
        guard let text = text(node, path, maximumLength: maximumLength) else { return nil }
        guard !text.trimmingBlanks.isEmpty else {
            report("\(path) must not be blank", at: node)
            return nil
        }
        return text
    }
}
