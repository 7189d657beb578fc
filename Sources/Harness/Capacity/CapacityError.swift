/// A capacity run that cannot go on: one line for the user.
public struct CapacityError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The user asked for something that cannot work (exit 2), rather than
    /// something failing along the way (exit 1).
    public var isBadInput: Bool

    public init(_ description: String, isBadInput: Bool = false) {
        self.description = description
        self.isBadInput = isBadInput
    }
}
