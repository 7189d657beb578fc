/// Creating, rotating and listing key files: what `hearth keys` does.
extension Keyring {
    /// Creates `owner-<N>.key` in `directory` (and the directory, mode 0700,
    /// if missing) holding one new key. Refuses to overwrite an existing file.
    @discardableResult
    public static func generateKeyFile(forOwner owner: Int, in directory: String = defaultDirectory) throws(KeyringError) -> KeyFile {
        try requireValid(owner: owner)
        try KeyFileSystem.createDirectories(directory)
        let path = path(forOwner: owner, in: directory)
        do {
            return try KeyFile.create(at: path, keys: [try newKey(for: path)])
        } catch where error.code == .keyFileExists {
            throw KeyringError(
                .keyFileExists,
                "\(path) already exists; run `hearth keys rotate --owner \(owner) --dir \(directory)` to add a new current key",
                path: path
            )
        }
    }

    /// Puts a new key in front of an owner's keys, so new tokens use it while
    /// tokens made with the older keys still decrypt.
    ///
    /// - Parameter keep: if given, keep at most this many keys in all (the new
    ///   one included), dropping the oldest; tokens made with a dropped key
    ///   no longer decrypt.
    @discardableResult
    public static func rotateKeyFile(forOwner owner: Int, in directory: String = defaultDirectory, keep: Int? = nil) throws(KeyringError) -> KeyFile {
        try requireValid(owner: owner)
        precondition(keep.map { $0 >= 1 } ?? true, "keep at least the new key")
        let path = path(forOwner: owner, in: directory)
        let existing: KeyFile
        do {
            existing = try KeyFile.read(at: path)
        } catch where error.code == .keyFileNotFound {
            throw KeyringError(
                .keyFileNotFound,
                "no key file at \(path) to rotate; create it with `hearth keys generate --owner \(owner) --dir \(directory)`",
                path: path
            )
        }
        var keys = [try newKey(for: path)] + existing.keys
        if let keep, keys.count > keep {
            keys.removeLast(keys.count - keep)
        }
        return try KeyFile.replace(at: path, keys: keys)
    }

    /// What `hearth keys list` shows about one key file. A file that cannot
    /// be used (loose permissions, malformed) is listed with its problem
    /// rather than hiding the other files.
    public struct KeyFileStatus: Sendable {
        public let owner: Int
        public let path: String
        /// Permission bits, nil if the file vanished while listing.
        public let permissions: UInt32?
        /// The checked file, or why it is refused.
        public let keyFile: Result<KeyFile, KeyringError>
    }

    /// Every `owner-<N>.key` in `directory`, by owner, each checked.
    public static func inspect(directory: String = defaultDirectory) throws(KeyringError) -> [KeyFileStatus] {
        try keyFilePaths(in: directory).map { owner, path throws(KeyringError) in
            let permissions = try KeyFileSystem.permissions(of: path)
            return KeyFileStatus(owner: owner, path: path, permissions: permissions, keyFile: Result { () throws(KeyringError) in try KeyFile.read(at: path) })
        }
    }

    private static func requireValid(owner: Int) throws(KeyringError) {
        guard owner >= 0 else {
            throw KeyringError(.invalidOwner, "owner \(owner) is not a valid owner number (0 or more)")
        }
    }

    private static func newKey(for path: String) throws(KeyringError) -> FernetKey {
        do {
            return try FernetKey.generate()
        } catch {
            throw KeyringError.fromFernet(error, path: path)
        }
    }
}
