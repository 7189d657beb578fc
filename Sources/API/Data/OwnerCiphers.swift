import Fernet
import NIOConcurrencyHelpers

/// Each house owner's Fernet ciphers, loaded from `owner-<N>.key` on first
/// use and lent out one task at a time.
///
/// A `MultiFernet` reuses its OpenSSL contexts and is not thread-safe, but
/// building one costs a few microseconds that `/data` should not pay on
/// every request; so each owner keeps a short free list. Key files are read
/// lazily, one owner at a time (an estate may have a million owners, most of
/// whom this process never serves), and read again when the file on disk is
/// no longer the version that was read (``KeyFileVersion``, one `stat`),
/// checked only when a token fails to open or the owner has no usable key:
/// that is how a `hearth keys rotate` or a new key file is picked up at the
/// first request that needs it.
final class OwnerCiphers: @unchecked Sendable {
    /// Idle ciphers kept per owner: enough for the concurrent requests of
    /// one house on two cores.
    static let idlePerOwner = 4

    let directory: String
    private let lock = NIOLock()
    /// Guarded by `lock`.
    private var owners: [Int: OwnerEntry] = [:]
    /// Guarded by `lock`: numbers each read of a key file, so a cipher made
    /// from keys read before a rotation is not put back after it.
    private var reads = 0

    private struct OwnerEntry {
        var keys: [FernetKey]?
        var failure: String?
        /// The file's version when it was read (nil: there was no file).
        var version: KeyFileVersion?
        /// Which read of the file these keys came from.
        var read = 0
        var idle: [MultiFernet] = []
    }

    init(directory: String) {
        self.directory = directory
    }

    /// Runs `body` with a cipher of `owner`; throws ``CipherUnavailable``
    /// when the owner has no usable key file.
    func withCipher<T>(owner: Int, _ body: (MultiFernet) throws -> T) throws -> T {
        let (cipher, read) = try checkOut(owner)
        defer { checkIn(cipher, owner: owner, read: read) }
        return try body(cipher)
    }

    /// Reads the owner's key file again if it changed on disk since it was
    /// read; true if the keys changed. Call it after a token failed to open,
    /// then retry once.
    func refreshIfChanged(owner: Int) -> Bool {
        guard let read = lock.withLock({ owners[owner] }) else { return false }
        guard KeyFileVersion.current(at: path(owner)) != read.version else { return false }
        let fresh = store(load(owner), for: owner)
        return fresh.keys != nil && fresh.keys != read.keys
    }

    private func checkOut(_ owner: Int) throws -> (MultiFernet, read: Int) {
        enum Found { case cipher(MultiFernet, Int), keys([FernetKey], Int), failure(OwnerEntry), reload }
        let found: Found = lock.withLock {
            // Popped in place: a copy of the entry would copy its free list.
            if let cipher = owners[owner]?.idle.popLast() { return .cipher(cipher, owners[owner]!.read) }
            guard let entry = owners[owner] else { return .reload }
            if let keys = entry.keys { return .keys(keys, entry.read) }
            return .failure(entry)
        }
        switch found {
        case .cipher(let cipher, let read):
            return (cipher, read)
        case .keys(let keys, let read):
            return (try makeCipher(keys, owner: owner), read)
        case .failure(let entry) where KeyFileVersion.current(at: path(owner)) == entry.version:
            throw CipherUnavailable(owner: owner, reason: entry.failure ?? "no key")
        case .failure, .reload:
            let entry = store(load(owner), for: owner)
            guard let keys = entry.keys else { throw CipherUnavailable(owner: owner, reason: entry.failure ?? "no key") }
            return (try makeCipher(keys, owner: owner), entry.read)
        }
    }

    /// Keeps a cipher for the next request, unless the owner's keys were
    /// read again since it was made (its keys may be the rotated-out set).
    private func checkIn(_ cipher: MultiFernet, owner: Int, read: Int) {
        lock.withLock {
            // Read field by field: a copy of the entry held across the append would copy its free list.
            guard owners[owner]?.read == read, let idle = owners[owner]?.idle.count, idle < Self.idlePerOwner else { return }
            owners[owner]?.idle.append(cipher)
        }
    }

    /// Installs a fresh read of the owner's file, numbered.
    private func store(_ entry: OwnerEntry, for owner: Int) -> OwnerEntry {
        lock.withLock {
            var entry = entry
            reads += 1
            entry.read = reads
            owners[owner] = entry
            return entry
        }
    }

    private func makeCipher(_ keys: [FernetKey], owner: Int) throws -> MultiFernet {
        do {
            return try MultiFernet(keys: keys)
        } catch {
            throw CipherUnavailable(owner: owner, reason: "\(error)")
        }
    }

    private func path(_ owner: Int) -> String {
        Keyring.path(forOwner: owner, in: directory)
    }

    /// Reads one owner's key file; a missing or unsafe file is remembered
    /// as a failure with its reason (which names the file, never a key),
    /// and with the version seen, so it is read again only once it changes.
    private func load(_ owner: Int) -> OwnerEntry {
        let path = path(owner)
        // The version before the read: if the file changes in between, the
        // next failed token reads it once more rather than never.
        let version = KeyFileVersion.current(at: path)
        do {
            return OwnerEntry(keys: try KeyFile.read(at: path).keys, failure: nil, version: version)
        } catch {
            return OwnerEntry(keys: nil, failure: error.description, version: version)
        }
    }
}

/// No usable key for a house owner: no key file, or one that is refused.
struct CipherUnavailable: Error, CustomStringConvertible {
    var owner: Int
    var reason: String
    var description: String { "no usable key for owner \(owner): \(reason)" }
}
