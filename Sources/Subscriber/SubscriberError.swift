/// Why the subscriber stopped or could not start, as one line that says
/// what happened and what to do (like the clients' errors).
public struct SubscriberError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A shutdown gave up flushing because a server stayed away.
        public static let flushTimedOut = Code("flushTimedOut")
        /// The alarm spool could not be written, so alarms could be lost.
        public static let spoolFailed = Code("spoolFailed")
        /// A server or the key folder could not be reached at start-up.
        public static let startFailed = Code("startFailed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
