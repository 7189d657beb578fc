internal import COpenSSL

/// One owner's key file: Fernet keys in base64url, one per line, the current
/// key first and older keys (still accepted for decryption) after it.
///
/// The file must be readable by its owner only (mode 0600 or 0400); a file
/// that group or others can access is refused rather than used, because its
/// keys may already be known to someone else. Blank lines are ignored;
/// anything else that is not a key makes the file malformed.
public struct KeyFile: Sendable {
    /// Where the file is.
    public let path: String
    /// The keys, current first; never empty.
    public let keys: [FernetKey]
    /// The file's permission bits, e.g. 0o600.
    public let permissions: UInt32

    /// The key new tokens are made with.
    public var currentKey: FernetKey { keys[0] }

    /// Reads and checks a key file.
    ///
    /// - Throws: ``KeyringError`` with code ``KeyringError/Code/keyFileNotFound``,
    ///   ``KeyringError/Code/insecurePermissions`` (with the `chmod` that fixes it),
    ///   ``KeyringError/Code/malformedKeyFile`` or ``KeyringError/Code/fileSystem``.
    public static func read(at path: String) throws(KeyringError) -> KeyFile {
        var (contents, permissions) = try KeyFileSystem.readProtectedFile(path)
        defer { OPENSSL_cleanse(&contents, contents.count) }
        return KeyFile(path: path, keys: try parse(contents, path: path), permissions: permissions)
    }

    /// Writes a new key file with mode 0600; fails if one exists already.
    public static func create(at path: String, keys: [FernetKey]) throws(KeyringError) -> KeyFile {
        precondition(!keys.isEmpty, "a key file holds at least one key")
        var contents = render(keys)
        defer { OPENSSL_cleanse(&contents, contents.count) }
        try KeyFileSystem.createExclusive(path, contents: contents)
        return KeyFile(path: path, keys: keys, permissions: 0o600)
    }

    /// Atomically replaces an existing key file's keys (temporary file + rename),
    /// after checking that the existing file itself is protected.
    public static func replace(at path: String, keys: [FernetKey]) throws(KeyringError) -> KeyFile {
        precondition(!keys.isEmpty, "a key file holds at least one key")
        guard let permissions = try KeyFileSystem.permissions(of: path) else {
            throw KeyringError(.keyFileNotFound, "no key file at \(path)", path: path)
        }
        try KeyFileSystem.requireProtected(path, permissions: permissions)
        var contents = render(keys)
        defer { OPENSSL_cleanse(&contents, contents.count) }
        try KeyFileSystem.replaceAtomically(path, contents: contents)
        return KeyFile(path: path, keys: keys, permissions: 0o600)
    }

    /// Permission bits as `ls` and `chmod` write them, e.g. `0600`.
    public static func modeString(_ permissions: UInt32) -> String {
        let digits = String(permissions, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// One key per line, newline-terminated.
    static func render(_ keys: [FernetKey]) -> [UInt8] {
        keys.flatMap { Array($0.base64URLEncoded.utf8) + [UInt8(ascii: "\n")] }
    }

    /// The keys in a file's contents. Messages give line numbers, never line text.
    static func parse(_ contents: [UInt8], path: String) throws(KeyringError) -> [FernetKey] {
        var keys: [FernetKey] = []
        for (index, line) in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard let first = line.firstIndex(where: { !isSpace($0) }),
                  let last = line.lastIndex(where: { !isSpace($0) })
            else { continue }
            let text = line[first...last]
            do {
                keys.append(try FernetKey(base64URL: String(decoding: text, as: UTF8.self)))
            } catch {
                throw KeyringError(
                    .malformedKeyFile,
                    "\(path) line \(index + 1) is not a Fernet key (44 base64url characters); a key file holds one key per line, current key first",
                    path: path
                )
            }
        }
        guard !keys.isEmpty else {
            throw KeyringError(.malformedKeyFile, "\(path) holds no keys; delete it and run `hearth keys generate`", path: path)
        }
        return keys
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
