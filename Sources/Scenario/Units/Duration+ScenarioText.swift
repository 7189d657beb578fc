/// Durations as people write them in scenario files: `90s`, `5m`, `1.5h`,
/// `250ms`, `2d`, and compounds such as `1h30m`.
///
/// A bare number is refused on purpose: `timeout: 30` could mean seconds or
/// milliseconds, and guessing wrong silently changes a test by a factor of
/// a thousand.
extension Duration {
    /// The longest duration any scenario value may spell (ten years); field
    /// limits are much tighter, this only keeps arithmetic far from overflow.
    static let longestSpellable = Duration.seconds(3650 * 86_400)

    /// Reads a duration such as `90s`, `5m`, `1.5h`, `250ms` or `1h30m`.
    public init(scenarioText text: String) throws(UnitSyntaxError) {
        var rest = text.trimmingBlanks
        let shown = String(rest).shown
        guard !rest.isEmpty else {
            throw UnitSyntaxError("a duration is empty; write one like 90s, 5m, 1.5h or 250ms")
        }
        if rest.first == "-" {
            throw UnitSyntaxError("'\(shown)' is negative; durations count forward from zero")
        }
        var nanoseconds = 0.0
        while !rest.isEmpty {
            guard let number = DecimalPrefix.read(rest) else {
                throw UnitSyntaxError("'\(shown)' is not a duration; write one like 90s, 5m, 1.5h or 250ms")
            }
            let afterNumber = number.rest.droppingLeadingBlanks
            let unitText = afterNumber.prefix { $0.isLetter }
            guard !unitText.isEmpty else {
                throw UnitSyntaxError("'\(shown)' needs a unit: ms, s, m, h or d (for example \(Self.example(number.value)))")
            }
            guard let unit = Self.nanosecondsPerUnit[unitText.lowercased()] else {
                throw UnitSyntaxError("'\(String(unitText).shown)' in '\(shown)' is not a time unit; use ms, s, m, h or d")
            }
            nanoseconds += number.value * unit
            rest = afterNumber.dropFirst(unitText.count).droppingLeadingBlanks
        }
        guard nanoseconds <= Self.longestSpellable.nanosecondsApproximation else {
            throw UnitSyntaxError("'\(shown)' is longer than any scenario can use (at most 3650d)")
        }
        self = .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// The duration in the form the parser reads back: `250ms`, `1m30s`,
    /// `1h`, `2.5s`. Parsing the result gives the same duration to the
    /// nanosecond.
    public var scenarioText: String {
        let total = nanosecondsApproximation
        guard total > 0 else { return "0s" }
        var nanos = Int64(total.rounded())
        var text = ""
        for (suffix, size) in [("d", Int64(86_400_000_000_000)), ("h", 3_600_000_000_000), ("m", 60_000_000_000)] where nanos >= size {
            text += "\(nanos / size)\(suffix)"
            nanos %= size
        }
        guard nanos > 0 else { return text }
        if text.isEmpty, nanos < 1_000_000_000, nanos % 1_000_000 == 0 {
            return "\(nanos / 1_000_000)ms"
        }
        let seconds = nanos / 1_000_000_000
        var fraction = String(nanos % 1_000_000_000)
        guard fraction != "0" else { return text + "\(seconds)s" }
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return text + "\(seconds).\(fraction)s"
    }

    /// The duration in seconds as a Double, the unit rate arithmetic uses.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    var nanosecondsApproximation: Double { secondsValue * 1e9 }

    private static let nanosecondsPerUnit: [String: Double] = {
        var table: [String: Double] = ["ms": 1e6]
        for word in ["s", "sec", "secs", "second", "seconds"] { table[word] = 1e9 }
        for word in ["m", "min", "mins", "minute", "minutes"] { table[word] = 60e9 }
        for word in ["h", "hr", "hrs", "hour", "hours"] { table[word] = 3600e9 }
        for word in ["d", "day", "days"] { table[word] = 86_400e9 }
        return table
    }()

    private static func example(_ value: Double) -> String {
        let number = value == value.rounded() && value < 1e15 ? String(Int64(value)) : String(value)
        return "\(number)s"
    }
}
