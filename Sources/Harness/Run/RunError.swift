/// Why a run could not go ahead or finish. `badInput` is the user's to fix
/// (exit 2); `runtime` is the machine's or a server's (exit 1). A failed
/// gate is not an error: the run finished and its report says so.
public struct RunError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The scenario or a flag asks for something this run cannot do.
        public static let badInput = Code(rawValue: "bad_input")
        /// A server or the machine failed.
        public static let runtime = Code(rawValue: "runtime")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
