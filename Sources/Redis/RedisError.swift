/// A Redis failure: an extensible `Code`, a one-line message, and for error
/// replies Redis's own text (e.g. "OOM command not allowed when used memory >
/// 'maxmemory'"), which callers match on its first word.
public struct RedisError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let badURL = Code("badURL")
        public static let connectFailed = Code("connectFailed")
        /// The connection broke mid-command; the next command reconnects.
        /// Whether the broken command ran is unknown.
        public static let connectionLost = Code("connectionLost")
        /// Redis answered with an error reply.
        public static let serverError = Code("serverError")
        /// A reply of a type the typed helper did not expect.
        public static let unexpectedReply = Code("unexpectedReply")
        /// No reply within the command timeout. The connection is closed
        /// (later replies could no longer be paired with their commands)
        /// and the next command reconnects; whether this one ran is unknown.
        public static let timedOut = Code("timedOut")
        /// The server sent bytes that are not RESP.
        public static let protocolError = Code("protocolError")
    }

    public var code: Code
    public var message: String
    /// For `.serverError`: the reply as Redis wrote it.
    public var serverMessage: String?
    /// hiredis's `REDIS_ERR_*` value, where there is one.
    public var status: Int32?

    public init(_ code: Code, _ message: String, serverMessage: String? = nil, status: Int32? = nil) {
        self.code = code
        self.message = message
        self.serverMessage = serverMessage
        self.status = status
    }

    /// The error's prefix word, e.g. "OOM", "WRONGTYPE", "BUSYGROUP", "NOGROUP".
    public var serverErrorKind: String? { serverMessage?.split(separator: " ").first.map(String.init) }

    public var description: String { message }

    /// Whether Redis could not be reached or did not answer (as opposed to
    /// refusing a command): the request may succeed once it is back.
    public var isUnavailable: Bool { [.connectFailed, .connectionLost, .timedOut].contains(code) }
}
