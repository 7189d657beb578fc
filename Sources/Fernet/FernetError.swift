internal import COpenSSL

/// Why a Fernet operation failed.
///
/// The subscriber counts rejected readings by reason, so every way a token can
/// be wrong has its own ``Code``; callers switch on `error.code` and never
/// parse messages. Like NIO's and PostgresNIO's errors, `Code` is a struct
/// rather than an enum so that new reasons can be added without breaking
/// anybody's exhaustive `switch`.
///
/// Neither the message nor the description ever contains key bytes, plaintext
/// or the token itself: errors end up in logs and dead-letter reports.
public struct FernetError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case badBase64
            case badVersion
            case tooShort
            case badCiphertextLength
            case badPadding
            case badHMAC
            case expired
            case fromTheFuture
            case badKey
            case cryptoFailure
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The token is not base64url (alphabet `A-Z a-z 0-9 - _`, optional `=` padding).
        public static let badBase64 = Code(.badBase64)
        /// The first byte is not the Fernet version 0x80.
        public static let badVersion = Code(.badVersion)
        /// The token is shorter than version, timestamp, IV, one cipher block and HMAC.
        public static let tooShort = Code(.tooShort)
        /// The ciphertext is not a whole number of 16-byte AES blocks.
        public static let badCiphertextLength = Code(.badCiphertextLength)
        /// The HMAC matched but the decrypted PKCS #7 padding is wrong.
        public static let badPadding = Code(.badPadding)
        /// The HMAC does not match under any of the keys: forged, corrupted, or another owner's key.
        public static let badHMAC = Code(.badHMAC)
        /// The token is authentic but older than the time-to-live the caller allowed.
        public static let expired = Code(.expired)
        /// The token is authentic but stamped further in the future than the allowed clock skew.
        public static let fromTheFuture = Code(.fromTheFuture)
        /// A key is not 32 bytes of base64url.
        public static let badKey = Code(.badKey)
        /// libcrypto itself failed (random bytes, cipher set-up); not caused by the token.
        public static let cryptoFailure = Code(.cryptoFailure)

        public var description: String { base.rawValue }
    }

    /// The reason, for code that reacts to failures.
    public var code: Code
    /// One line for people: what is wrong, never any secret.
    public var message: String
    /// The first entry of OpenSSL's error queue, for ``Code/cryptoFailure``.
    public var openSSLError: UInt?

    public init(_ code: Code, _ message: String, openSSLError: UInt? = nil) {
        self.code = code
        self.message = message
        self.openSSLError = openSSLError
    }

    public var description: String {
        guard let openSSLError else { return "Fernet \(code): \(message)" }
        return "Fernet \(code): \(message) (OpenSSL error \(FernetError.openSSLReason(openSSLError)))"
    }
}

extension FernetError {
    /// Turns a libcrypto return value into a thrown error, like NIO's `syscall`:
    /// libcrypto reports success as 1 and leaves the reason in its thread-local
    /// error queue, which is drained here so that it cannot leak into the
    /// report of a later, unrelated failure.
    @inline(__always)
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(FernetError) {
        if result != 1 {
            throw FernetError.fromOpenSSL(operation())
        }
    }

    /// An error for a failed libcrypto call, with OpenSSL's first queued reason.
    static func fromOpenSSL(_ operation: String) -> FernetError {
        let first = ERR_get_error()
        ERR_clear_error()
        return FernetError(.cryptoFailure, "\(operation) failed in libcrypto", openSSLError: first == 0 ? nil : first)
    }

    private static func openSSLReason(_ error: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(error, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
