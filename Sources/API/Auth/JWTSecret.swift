import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the token signing secret comes from: `HEARTH_JWT_SECRET`, or a key
/// file `jwt-hs256.key` (mode 0600) in the keys directory, written with 32
/// random bytes on first start. Nothing secret lives in the repository, and
/// every deployment signs with its own key.
///
/// The file sits beside the owners' Fernet key files and follows their rules:
/// created exclusively (two processes starting at once agree on one key),
/// refused when group or others can read it.
public enum JWTSecret {
    public static let fileName = "jwt-hs256.key"
    /// HS256 wants at least as many key bytes as the hash has (RFC 7518 §3.2).
    static let minimumBytes = 32

    /// The secret from `environmentValue` if set, else from the key file in
    /// `keysDirectory`, creating it when missing.
    public static func resolve(environmentValue: String?, keysDirectory: String) throws -> [UInt8] {
        if let environmentValue {
            let bytes = Array(environmentValue.utf8)
            guard bytes.count >= minimumBytes else {
                throw JWTSecretError("HEARTH_JWT_SECRET has \(bytes.count) bytes; use at least \(minimumBytes), e.g. `openssl rand -base64 48`")
            }
            return bytes
        }
        let path = (keysDirectory as NSString).appendingPathComponent(fileName)
        if let existing = try readSecret(path) { return existing }
        try FileManager.default.createDirectory(atPath: keysDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if try createSecret(path) { return try readSecret(path)! }
        // Another process created it between our read and our create.
        guard let created = try readSecret(path) else { throw JWTSecretError("\(path) vanished while it was being created") }
        return created
    }

    /// The secret in an existing key file; nil if there is no file.
    private static func readSecret(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw JWTSecretError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw JWTSecretError("cannot stat \(path): \(String(cString: strerror(errno)))") }
        guard status.st_mode & 0o077 == 0 else {
            throw JWTSecretError("\(path) can be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))); run chmod 600 \(path)")
        }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0 else { throw JWTSecretError("\(path) is empty; delete it to generate a new secret") }
        let text = String(decoding: bytes[0 ..< count], as: UTF8.self).trimmingWhitespace
        guard let secret = Data(base64Encoded: text), secret.count >= minimumBytes else {
            throw JWTSecretError("\(path) does not hold a base64 secret of at least \(minimumBytes) bytes; delete it to generate a new one")
        }
        return Array(secret)
    }

    /// Writes a new random secret; false if the file already exists.
    private static func createSecret(_ path: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw JWTSecretError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var generator = SystemRandomNumberGenerator()
        let secret = (0 ..< minimumBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let line = Array((Data(secret).base64EncodedString() + "\n").utf8)
        guard write(fd, line, line.count) == line.count, fsync(fd) == 0 else {
            unlink(path)
            throw JWTSecretError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return true
    }
}

/// Why the signing secret could not be had; says what to do about it.
public struct JWTSecretError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
