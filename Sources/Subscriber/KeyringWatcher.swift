import BlockingIO
import Fernet
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The owners' keys, reloaded when the key folder changes: a new owner's key
/// file appears, or `hearth keys rotate` rewrites one (older keys stay in the
/// file, so tokens made before the rotation still open).
///
/// Once a second the watcher compares each `owner-<N>.key` file's name, size,
/// inode and modification time with the last look; only a change costs a
/// reload. A reload that fails (a key file with loose permissions, a torn
/// write) is logged and the previous keys stay in use, so a mistake in the
/// folder never stops a running subscriber.
final class KeyringWatcher: @unchecked Sendable {
    private let lock = Mutex()
    private var keyring: Keyring
    private var generationCount = 0
    private var signature: [String: KeyFileVersion]
    /// When the latest finished look at the folder began (wall clock, ns);
    /// the keys in memory are at least as new as the folder was then.
    private var lastLookStartedAt: Int64 = 0
    private let directory: String
    private let logger: Logger

    /// Loads the folder now; throws if it cannot be read at start-up.
    init(directory: String, logger: Logger) async throws {
        self.directory = directory
        self.logger = logger
        let (keyring, signature) = try await Self.load(directory)
        self.keyring = keyring
        self.signature = signature
    }

    /// Keys in memory, for tests and embedders that hold keys elsewhere.
    init(keyring: Keyring, logger: Logger) {
        self.keyring = keyring
        self.signature = [:]
        self.directory = ""
        self.logger = logger
    }

    /// The current keys and a number that changes whenever they do, so a
    /// pipeline knows when to drop the ciphers it built from older keys.
    var current: (keyring: Keyring, generation: Int) { lock.withLock { (keyring, generationCount) } }

    /// Polls until cancelled (a keyring held in memory is never polled).
    func run(every interval: Duration = .seconds(1)) async {
        guard !directory.isEmpty else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await reloadIfChanged()
        }
    }

    /// Reloads if the folder changed since the last look.
    ///
    /// Also called for a batch that met a house or sensor the estate lacked
    /// (its owner may be new too). Such a caller passes when its batch
    /// arrived: a look that began after that already saw any key the batch
    /// could need, so the call returns at once.
    func reloadIfChanged(unlessLookedSince arrival: Int64? = nil) async {
        guard !directory.isEmpty else { return }
        if let arrival, lock.withLock({ lastLookStartedAt >= arrival }) { return }
        let startedAt = WallClock.nanoseconds()
        let directory = directory
        let seen = await onDedicatedThread { Self.signature(of: directory) }
        guard seen != lock.withLock({ signature }) else {
            lock.withLock { lastLookStartedAt = max(lastLookStartedAt, startedAt) }
            return
        }
        await reload(seen: seen, startedAt: startedAt)
    }

    /// Reloads if the key file of any of `owners` appeared or changed since
    /// the last look: called for a batch that met an owner without a key, or
    /// a token that no key of its owner opens, so a key file written or
    /// rotated a moment before the reading is found without waiting for the
    /// next poll. It looks at those owners' files only, so a flood of forged
    /// tokens costs one `stat` per owner per batch however large the folder.
    func reloadIfChanged(owners: Set<Int>) async {
        guard !directory.isEmpty, !owners.isEmpty else { return }
        let startedAt = WallClock.nanoseconds()
        let directory = directory
        let names = owners.map(Keyring.fileName(forOwner:))
        let look = { @Sendable in names.map { ($0, KeyFileVersion.current(at: directory + "/" + $0)) } }
        // A few stats (microseconds each) run here; a thread of their own
        // would cost more than they do. Many go to a thread, as file I/O should.
        let seen = names.count <= Self.inlineLookLimit ? look() : await onDedicatedThread(look)
        var known = lock.withLock { signature }
        guard seen.contains(where: { known[$0.0] != $0.1 }) else { return }
        for (name, entry) in seen { known[name] = entry }
        await reload(seen: known, startedAt: startedAt)
    }

    /// At most this many key files are looked at without a thread hop.
    private static let inlineLookLimit = 8

    /// Loads the whole folder and installs it unless a look that began later
    /// got there first. `seen` is the signature that prompted it, kept when
    /// the folder cannot be loaded so the same broken state is not retried
    /// every second (or every batch).
    private func reload(seen: [String: KeyFileVersion], startedAt: Int64) async {
        do {
            let (keyring, signature) = try await Self.load(directory)
            let installed = lock.withLock { () -> Bool in
                // Two looks may overlap (the poll and a batch's); the later one's keys win.
                guard startedAt >= lastLookStartedAt else { return false }
                self.keyring = keyring
                self.signature = signature
                generationCount += 1
                lastLookStartedAt = startedAt
                return true
            }
            if installed { logger.notice("key folder changed; keys reloaded", metadata: ["owners": "\(keyring.owners.count)"]) }
        } catch {
            lock.withLock {
                signature = seen
                lastLookStartedAt = max(lastLookStartedAt, startedAt)
            }
            logger.error("key folder changed but cannot be loaded; keeping the previous keys", metadata: ["error": "\(error)"])
        }
    }

    private static func load(_ directory: String) async throws -> (Keyring, [String: KeyFileVersion]) {
        let result = await onDedicatedThread { () -> Result<(Keyring, [String: KeyFileVersion]), KeyringError> in
            let before = signature(of: directory)
            return Result { () throws(KeyringError) in (try Keyring.load(directory: directory), before) }
        }
        return try result.get()
    }

    /// Each key file's name and version.
    private static func signature(of directory: String) -> [String: KeyFileVersion] {
        guard let folder = opendir(directory) else { return [:] }
        defer { closedir(folder) }
        var entries: [String: KeyFileVersion] = [:]
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard Keyring.owner(fromFileName: name) != nil else { continue }
            entries[name] = KeyFileVersion.current(at: directory + "/" + name)
        }
        return entries
    }
}
