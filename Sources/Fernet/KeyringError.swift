#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a key file or key directory could not be used.
///
/// Each message names the file and says what to do about it (the CLI prints
/// it as the one line a user sees). Messages never quote a key file's
/// contents, because those contents are keys.
public struct KeyringError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case directoryNotFound
            case keyFileNotFound
            case keyFileExists
            case insecurePermissions
            case malformedKeyFile
            case invalidOwner
            case fileSystem
            case cryptoFailure
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The key directory does not exist.
        public static let directoryNotFound = Code(.directoryNotFound)
        /// The owner has no key file (or no keys in memory).
        public static let keyFileNotFound = Code(.keyFileNotFound)
        /// A new key file would overwrite an existing one.
        public static let keyFileExists = Code(.keyFileExists)
        /// The key file can be read or written by its group or by others.
        public static let insecurePermissions = Code(.insecurePermissions)
        /// The key file is not one base64url Fernet key per line, or holds none.
        public static let malformedKeyFile = Code(.malformedKeyFile)
        /// Owner numbers are non-negative integers.
        public static let invalidOwner = Code(.invalidOwner)
        /// A system call failed; ``KeyringError/errno`` says which error.
        public static let fileSystem = Code(.fileSystem)
        /// Generating a key or building the ciphers for it failed in libcrypto.
        public static let cryptoFailure = Code(.cryptoFailure)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// One line for people: which file, what is wrong, how to fix it.
    public var message: String
    /// The file or directory concerned, when there is one.
    public var path: String?
    /// The raw `errno` of a failed system call, for ``Code/fileSystem``.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, path: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    public var description: String { "keyring \(code): \(message)" }
}

extension KeyringError {
    /// An error for the system call that just failed, from the current `errno`.
    static func fromErrno(_ operation: String, path: String) -> KeyringError {
        let number = lastErrno()
        let reason = String(cString: strerror(number))
        return KeyringError(.fileSystem, "\(operation) \(path): \(reason)", path: path, errno: number)
    }

    /// Wraps a libcrypto failure that happened while handling a key file.
    static func fromFernet(_ error: FernetError, path: String?) -> KeyringError {
        KeyringError(.cryptoFailure, error.description, path: path)
    }
}

/// `errno` itself, read outside `KeyringError`, whose own `errno` property
/// would otherwise shadow it.
private func lastErrno() -> Int32 {
    errno
}
