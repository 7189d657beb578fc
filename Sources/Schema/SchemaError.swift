/// A database that hearth cannot use as it is: one line saying what is wrong
/// and one saying what to do, like the other hearth errors.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var advice: String

    public init(_ message: String, advice: String) {
        self.message = message
        self.advice = advice
    }

    public var description: String { "\(message); \(advice)" }
}
