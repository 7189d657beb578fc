/// How often messages are sent: a number per second, either for each sensor
/// or for the whole estate together.
///
/// The basis travels with the number because both are natural to write: a
/// QA engineer copying the original system thinks "every sensor every 5 s",
/// a capacity planner thinks "20 000 messages a second". The rate schedule
/// turns per-sensor rates into totals once the estate's size is known.
public struct Rate: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Whether the number counts messages of one sensor or of all of them.
    public enum Basis: String, Equatable, Hashable, Sendable {
        case perSensor = "per sensor"
        case total
    }

    /// Messages per second, never negative.
    public var perSecond: Double
    public var basis: Basis

    public init(perSecond: Double, basis: Basis) {
        self.perSecond = perSecond
        self.basis = basis
    }

    public static func total(_ perSecond: Double) -> Rate { Rate(perSecond: perSecond, basis: .total) }
    public static func perSensor(_ perSecond: Double) -> Rate { Rate(perSecond: perSecond, basis: .perSensor) }

    /// A rate that sends nothing, which a ramp may start from.
    public static let zero = Rate.total(0)

    /// Messages per second over the whole estate.
    public func totalPerSecond(sensorCount: Int) -> Double {
        switch basis {
        case .total: perSecond
        case .perSensor: perSecond * Double(sensorCount)
        }
    }

    public var description: String { scenarioText }
}

extension Rate {
    /// Reads `200/s`, `12000/min`, `20k/s`, `0.2/s per sensor`, `every 5s`.
    ///
    /// `every …` is a per-sensor interval; a number per unit of time is the
    /// total for the estate unless it ends in `per sensor`.
    public init(scenarioText text: String) throws(UnitSyntaxError) {
        var body = text.trimmingBlanks.lowercased()[...]
        let shown = String(text.trimmingBlanks).shown
        var basis: Basis?
        for (suffix, suffixBasis) in Self.basisSuffixes where body.hasSuffix(suffix) {
            basis = suffixBasis
            body = body.dropLast(suffix.count).trimmingBlanks
            break
        }
        if body.hasPrefix("-") {
            throw UnitSyntaxError("'\(shown)' is negative; a rate counts messages sent, so it is 0 or more")
        }
        if body.hasPrefix("every") {
            guard basis != .total else {
                throw UnitSyntaxError("'\(shown)' mixes 'every' (one sensor's interval) with 'total'; write a total as 200/s")
            }
            let interval: Duration
            do {
                interval = try Duration(scenarioText: String(body.dropFirst("every".count)))
            } catch {
                throw UnitSyntaxError("'\(shown)': \(error.message)")
            }
            guard interval > .zero else {
                throw UnitSyntaxError("'\(shown)' has an interval of 0, which would be infinitely fast; use e.g. every 5s")
            }
            self.init(perSecond: 1 / interval.secondsValue, basis: .perSensor)
            return
        }
        guard let number = DecimalPrefix.read(body) else {
            throw UnitSyntaxError("'\(shown)' is not a rate; write one like 200/s, 12000/min, 20k/s or every 5s")
        }
        var rest = number.rest.droppingLeadingBlanks
        var count = number.value
        if rest.first == "k" {
            count *= 1000
            rest = rest.dropFirst().droppingLeadingBlanks
        }
        guard rest.first == "/" else {
            throw UnitSyntaxError("'\(shown)' needs a time unit: /s, /min or /h (for example 200/s), or use every 5s")
        }
        let unitText = rest.dropFirst().trimmingBlanks
        guard let seconds = Self.secondsPerUnit[String(unitText)] else {
            throw UnitSyntaxError("'\(String(unitText).shown)' in '\(shown)' is not a time unit; use /s, /min or /h")
        }
        let perSecond = count / seconds
        guard perSecond <= 1e12 else {
            throw UnitSyntaxError("'\(shown)' is far beyond any rate hearth can send")
        }
        self.init(perSecond: perSecond, basis: basis ?? .total)
    }

    /// The rate in the form the parser reads back: `every 5s` for a
    /// per-sensor rate with a whole-millisecond interval, `200/s` otherwise.
    public var scenarioText: String {
        if basis == .perSensor, perSecond > 0 {
            let intervalMilliseconds = 1000 / perSecond
            let rounded = intervalMilliseconds.rounded()
            if rounded >= 1, abs(intervalMilliseconds - rounded) < 1e-9 * max(1, rounded) {
                return "every " + Duration.milliseconds(Int64(rounded)).scenarioText
            }
        }
        let number = Self.format(perSecond)
        return basis == .perSensor ? "\(number)/s per sensor" : "\(number)/s"
    }

    /// A plain decimal with no exponent (the parser reads no exponents) that
    /// reads back as the same Double: Swift's shortest round-trip digits,
    /// with any exponent written out as zeros.
    static func format(_ value: Double) -> String {
        let shortest = "\(value)"
        guard let exponentIndex = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }),
              let exponent = Int(shortest[shortest.index(after: exponentIndex)...]) else {
            return shortest.hasSuffix(".0") ? String(shortest.dropLast(2)) : shortest
        }
        let mantissa = shortest[..<exponentIndex]
        let digits = mantissa.filter { $0 != "." }
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return digits + String(repeating: "0", count: point - digits.count)
        }
        return String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }

    private static let basisSuffixes: [(String, Basis)] = [
        ("per sensor", .perSensor), ("per-sensor", .perSensor), ("per_sensor", .perSensor), ("total", .total),
    ]

    private static let secondsPerUnit: [String: Double] = [
        "s": 1, "sec": 1, "second": 1,
        "m": 60, "min": 60, "minute": 60,
        "h": 3600, "hr": 3600, "hour": 3600,
    ]
}
