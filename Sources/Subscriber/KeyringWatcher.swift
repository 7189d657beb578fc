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
    private var signature: [String]
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
        self.signature = []
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

    /// Reloads if the folder changed since the last look. Also called for a
    /// batch that met an owner without a key, so a key file written a moment
    /// before its first reading is found without waiting for the next poll.
    func reloadIfChanged() async {
        let directory = directory
        let seen = await onDedicatedThread { Self.signature(of: directory) }
        guard seen != lock.withLock({ signature }) else { return }
        do {
            let (keyring, signature) = try await Self.load(directory)
            lock.withLock {
                self.keyring = keyring
                self.signature = signature
                generationCount += 1
            }
            logger.notice("key folder changed; keys reloaded", metadata: ["owners": "\(keyring.owners.count)"])
        } catch {
            lock.withLock { signature = seen }
            logger.error("key folder changed but cannot be loaded; keeping the previous keys", metadata: ["error": "\(error)"])
        }
    }

    private static func load(_ directory: String) async throws -> (Keyring, [String]) {
        let result = await onDedicatedThread { () -> Result<(Keyring, [String]), KeyringError> in
            let before = signature(of: directory)
            return Result { () throws(KeyringError) in (try Keyring.load(directory: directory), before) }
        }
        return try result.get()
    }

    /// One entry per key file: name, size, inode, modification time.
    private static func signature(of directory: String) -> [String] {
        guard let folder = opendir(directory) else { return ["unreadable"] }
        defer { closedir(folder) }
        var entries: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard Keyring.owner(fromFileName: name) != nil else { continue }
            var status = stat()
            guard stat(directory + "/" + name, &status) == 0 else { continue }
            #if canImport(Darwin)
            let modified = status.st_mtimespec
            #else
            let modified = status.st_mtim
            #endif
            entries.append("\(name) \(status.st_size) \(status.st_ino) \(modified.tv_sec).\(modified.tv_nsec)")
        }
        return entries.sorted()
    }
}
