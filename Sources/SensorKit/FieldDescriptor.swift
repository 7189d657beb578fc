/// One value field of a sensor's payload, as a plugin declares it.
///
/// The declaration is the single source of truth for the payload: the writer
/// rounds and validates against it, the subscriber validates against it, the
/// JSON Schema files are generated from it and `hearth plugins list` prints it.
public struct FieldDescriptor: Sendable, Hashable {
    /// The JSON key, kept as in the seed system (`co_detection`, `status`, ...).
    public var name: String
    /// One line for people: what the value means.
    public var summary: String
    public var type: FieldType

    public init(name: String, summary: String, type: FieldType) {
        self.name = name
        self.summary = summary
        self.type = type
    }

    /// A numeric field: a JSON number with a unit, a closed range and the
    /// number of decimals written on the wire.
    public static func number(
        _ name: String, unit: String, range: ClosedRange<Double>, decimals: Int = 1, summary: String
    ) -> FieldDescriptor {
        FieldDescriptor(name: name, summary: summary, type: .number(NumberField(unit: unit, range: range, decimals: decimals)))
    }

    /// A state field: a JSON string that is one of `values`.
    public static func choice(_ name: String, values: [String], summary: String) -> FieldDescriptor {
        FieldDescriptor(name: name, summary: summary, type: .choice(values))
    }

    /// The unit of a numeric field; nil for a state field.
    public var unit: String? {
        if case .number(let number) = type { return number.unit }
        return nil
    }
}

/// What kind of JSON value a field holds.
public enum FieldType: Sendable, Hashable {
    case number(NumberField)
    /// A string that must be one of these values, in a meaningful order
    /// (for example `Low`, `Moderate`, `High`).
    case choice([String])
}

/// The declaration of a numeric field.
public struct NumberField: Sendable, Hashable {
    /// The unit written to the payload's `units` object (`ppm`, `°C`, `%`, `lx`).
    public var unit: String
    /// Every value a plugin produces lies in this range; the writer refuses others.
    public var range: ClosedRange<Double>
    /// Decimals on the wire (0...6). Values are rounded to this when a reading is
    /// made, so that what is sent, parsed and compared is the same number.
    public var decimals: Int

    public init(unit: String, range: ClosedRange<Double>, decimals: Int) {
        precondition((0...6).contains(decimals), "decimals must be in 0...6")
        self.unit = unit
        self.range = range
        self.decimals = decimals
    }

    /// `value` rounded to `decimals`, the way it will be written.
    @inlinable
    public func rounded(_ value: Double) -> Double {
        let scale = NumberField.powersOfTen[decimals]
        return (value * scale).rounded() / scale
    }

    @usableFromInline
    static let powersOfTen: [Double] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]
}
