/// Why the stack could not do what was asked, in one line a user can act on.
///
/// Shaped like swift-service-lifecycle's `ServiceGroupError`: an extensible
/// `Code` rather than an enum, so new cases do not break callers' switches.
public struct StackError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A server program is not installed; the message names the Debian package.
        public static let missingBinary = Code("missingBinary")
        /// A server exited or did not answer during start-up; the message has its log's tail.
        public static let serverFailedToStart = Code("serverFailedToStart")
        /// The run directory could not be created or prepared.
        public static let runDirectory = Code("runDirectory")
        /// A given URL is not one hearth understands.
        public static let badURL = Code("badURL")
        /// The service is not part of this stack.
        public static let notRunning = Code("notRunning")
    }

    public var code: Code
    public var message: String
    public var service: StackService?

    public init(_ code: Code, service: StackService? = nil, _ message: String) {
        self.code = code
        self.service = service
        self.message = message
    }

    /// True when the fault is the user's input or machine set-up (exit code 2),
    /// not a failure at run time.
    public var isBadInput: Bool { code == .missingBinary || code == .badURL }

    public var description: String { message }

    /// A server we gave a free port to found it taken when it tried to bind it.
    func isLostPortRace(fixedPorts: [StackService: Int]) -> Bool {
        guard code == .serverFailedToStart, let service, fixedPorts[service] == nil else { return false }
        return message.contains("Address already in use")
    }
}
