internal import CMosquitto

/// An MQTT failure: an extensible `Code`, a one-line message that says what to
/// do, and libmosquitto's own return code where there is one.
public struct MQTTError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let badURL = Code("badURL")
        public static let connectFailed = Code("connectFailed")
        /// The broker refused the CONNECT (bad credentials, bad client id...).
        public static let connectRefused = Code("connectRefused")
        /// Not connected right now; QoS 0 messages cannot be queued.
        public static let notConnected = Code("notConnected")
        public static let publishFailed = Code("publishFailed")
        public static let subscribeFailed = Code("subscribeFailed")
        /// The broker granted a subscription with failure (0x80).
        public static let subscriptionRejected = Code("subscriptionRejected")
        public static let timeout = Code("timeout")
        /// The broker sent bytes that are not MQTT (a malformed or oversized
        /// packet); the client drops the connection and reconnects.
        public static let protocolError = Code("protocolError")
        /// The connection broke (the broker closed it, or a read or write failed).
        public static let connectionLost = Code("connectionLost")
        public static let closed = Code("closed")
    }

    public var code: Code
    public var message: String
    /// libmosquitto's MOSQ_ERR_* value, or the CONNACK reason code.
    public var status: Int32?

    public init(_ code: Code, _ message: String, status: Int32? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

/// Turns a libmosquitto return code into a thrown error, like NIO's `syscall`.
@discardableResult
func mosquittoCall(_ code: MQTTError.Code, _ what: @autoclosure () -> String, _ rc: Int32) throws -> Int32 {
    guard rc == MOSQ_ERR_SUCCESS.rawValue else {
        let reason = String(cString: mosquitto_strerror(rc))
        let errorCode: MQTTError.Code = rc == MOSQ_ERR_NO_CONN.rawValue ? .notConnected : code
        throw MQTTError(errorCode, "\(what()): \(reason)", status: rc)
    }
    return rc
}
