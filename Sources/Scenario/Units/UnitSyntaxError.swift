/// Why a duration, rate or size could not be read.
///
/// The message says what was wrong and shows a form that works, so that the
/// validator can put it after `FILE:LINE:COL:` unchanged.
public struct UnitSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
