/// The Fernet keys of every house owner, one key file per owner.
///
/// A directory holds `owner-<N>.key` files (see ``KeyFile``). Loading it
/// reads and checks every such file up front, so a bad or exposed key file
/// stops a run at start-up rather than in the middle of it. Other files in
/// the directory are ignored.
///
/// `Keyring` is a `Sendable` value: share one across tasks and ask it for a
/// ``MultiFernet`` per task or thread, since those are not thread-safe.
public struct Keyring: Sendable {
    /// Where keys live unless a command is told otherwise.
    public static let defaultDirectory = "./.hearth/keys"

    /// The directory the keys came from, or nil for an in-memory keyring.
    public let directory: String?
    private let keysByOwner: [Int: [FernetKey]]

    /// A keyring held in memory, for tests and throw-away runs.
    /// Every owner must have at least one key, current first.
    public init(keysByOwner: [Int: [FernetKey]]) {
        precondition(keysByOwner.values.allSatisfy { !$0.isEmpty }, "every owner needs at least one key")
        directory = nil
        self.keysByOwner = keysByOwner
    }

    /// Loads every `owner-<N>.key` file in `directory`.
    ///
    /// - Throws: the first ``KeyringError`` met: a missing directory, a key
    ///   file with loose permissions, or a malformed key file.
    public static func load(directory: String = Keyring.defaultDirectory) throws(KeyringError) -> Keyring {
        var keysByOwner: [Int: [FernetKey]] = [:]
        for (owner, path) in try keyFilePaths(in: directory) {
            keysByOwner[owner] = try KeyFile.read(at: path).keys
        }
        return Keyring(directory: directory, keysByOwner: keysByOwner)
    }

    private init(directory: String, keysByOwner: [Int: [FernetKey]]) {
        self.directory = directory
        self.keysByOwner = keysByOwner
    }

    /// The owners with keys, ascending.
    public var owners: [Int] { keysByOwner.keys.sorted() }

    /// An owner's keys, current first.
    public func keys(forOwner owner: Int) throws(KeyringError) -> [FernetKey] {
        guard let keys = keysByOwner[owner] else {
            let location = directory.map { " in \($0); run `hearth keys generate --owner \(owner) --dir \($0)`" } ?? ""
            throw KeyringError(.keyFileNotFound, "no keys for owner \(owner)\(location)")
        }
        return keys
    }

    /// A new ``MultiFernet`` for an owner: encrypts with the owner's current
    /// key, decrypts with any of the owner's keys. Each call builds a fresh,
    /// independent instance (a few microseconds), one per thread or task.
    ///
    /// - Throws: ``KeyringError`` (unknown owner, or libcrypto failing to set up the ciphers).
    public func multiFernet(
        forOwner owner: Int,
        clock: FernetClock = .system,
        maxClockSkew: Duration = Fernet.defaultMaxClockSkew
    ) throws(KeyringError) -> MultiFernet {
        let keys = try keys(forOwner: owner)
        do {
            return try MultiFernet(keys: keys, clock: clock, maxClockSkew: maxClockSkew)
        } catch {
            throw KeyringError.fromFernet(error, path: directory.map { Keyring.path(forOwner: owner, in: $0) })
        }
    }
}

extension Keyring {
    /// `owner-<N>.key`.
    public static func fileName(forOwner owner: Int) -> String {
        "owner-\(owner).key"
    }

    /// The key file of `owner` in `directory`.
    public static func path(forOwner owner: Int, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + fileName(forOwner: owner) : "\(directory)/\(fileName(forOwner: owner))"
    }

    /// The owner a key file name belongs to, or nil if the name is not exactly
    /// `owner-<N>.key` with N written without sign or leading zeros (so that
    /// two files can never claim the same owner).
    public static func owner(fromFileName name: String) -> Int? {
        guard name.hasPrefix("owner-"), name.hasSuffix(".key") else { return nil }
        let number = name.dropFirst("owner-".count).dropLast(".key".count)
        guard let owner = Int(number), owner >= 0, fileName(forOwner: owner) == name else { return nil }
        return owner
    }

    /// The key files in `directory` by owner, ascending.
    static func keyFilePaths(in directory: String) throws(KeyringError) -> [(owner: Int, path: String)] {
        try KeyFileSystem.fileNames(in: directory)
            .compactMap { name in owner(fromFileName: name).map { (owner: $0, path: path(forOwner: $0, in: directory)) } }
            .sorted { $0.owner < $1.owner }
    }
}
