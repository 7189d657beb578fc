/// A publisher failure a user can act on: one line that says what went wrong
/// and what to do, with a stable code for callers that branch on it.
public struct PublisherError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unknownKind = "unknown_kind"
            case keys
            case connectFailed = "connect_failed"
            case seedFailed = "seed_failed"
            case badConfiguration = "bad_configuration"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The estate uses a sensor kind no plugin provides.
        public static let unknownKind = Code(.unknownKind)
        /// An owner key could not be created or loaded.
        public static let keys = Code(.keys)
        /// The broker or Redis could not be reached at start-up.
        public static let connectFailed = Code(.connectFailed)
        /// The estate could not be written to PostgreSQL.
        public static let seedFailed = Code(.seedFailed)
        /// The publisher was set up inconsistently (a transport without its URL).
        public static let badConfiguration = Code(.badConfiguration)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
