import Fernet
import NIOConcurrencyHelpers

/// Each house owner's Fernet ciphers, loaded from `owner-<N>.key` on first
/// use and lent out one task at a time.
///
/// A `MultiFernet` reuses its OpenSSL contexts and is not thread-safe, but
/// building one costs a few microseconds that `/data` should not pay on
/// every request; so each owner keeps a short free list. Key files are read
/// lazily, one owner at a time (an estate may have a million owners, most of
/// whom this process never serves), and read again when a token fails to
/// open and the file was last read a while ago: that is how a
/// `hearth keys rotate` done while the API runs is picked up.
final class OwnerCiphers: @unchecked Sendable {
    /// How long a missing key file or a stale key set is trusted before the
    /// file is read again.
    static let recheckAfter: Duration = .seconds(5)
    /// Idle ciphers kept per owner: enough for the concurrent requests of
    /// one house on two cores.
    static let idlePerOwner = 4

    let directory: String
    private let lock = NIOLock()
    /// Guarded by `lock`.
    private var owners: [Int: OwnerEntry] = [:]

    private struct OwnerEntry {
        var keys: [FernetKey]?
        var failure: String?
        var readAt: ContinuousClock.Instant
        var idle: [MultiFernet] = []
    }

    init(directory: String) {
        self.directory = directory
    }

    /// Runs `body` with a cipher of `owner`; throws ``CipherUnavailable``
    /// when the owner has no usable key file.
    func withCipher<T>(owner: Int, _ body: (MultiFernet) throws -> T) throws -> T {
        let cipher = try checkOut(owner)
        defer { checkIn(cipher, owner: owner) }
        return try body(cipher)
    }

    /// Reads the owner's key file again if it was last read more than
    /// ``recheckAfter`` ago; true if the keys changed. Call it after a token
    /// failed to open, then retry once.
    func refreshIfStale(owner: Int) -> Bool {
        let now = ContinuousClock.now
        let old: [FernetKey]? = lock.withLock {
            guard let entry = owners[owner], now - entry.readAt >= Self.recheckAfter else { return nil }
            return entry.keys ?? []
        }
        guard let old else { return false }
        let fresh = load(owner)
        lock.withLock { owners[owner] = fresh }
        return fresh.keys != nil && fresh.keys! != old
    }

    private func checkOut(_ owner: Int) throws -> MultiFernet {
        let now = ContinuousClock.now
        enum Found { case cipher(MultiFernet), keys([FernetKey]), failure(String), reload }
        let found: Found = lock.withLock {
            // Popped in place: a copy of the entry would copy its free list.
            if let cipher = owners[owner]?.idle.popLast() { return .cipher(cipher) }
            guard var entry = owners[owner] else { return .reload }
            if let keys = entry.keys { return .keys(keys) }
            if now - entry.readAt < Self.recheckAfter { return .failure(entry.failure ?? "no key") }
            entry.readAt = now
            owners[owner] = entry
            return .reload
        }
        switch found {
        case .cipher(let cipher): return cipher
        case .keys(let keys): return try makeCipher(keys, owner: owner)
        case .failure(let reason): throw CipherUnavailable(owner: owner, reason: reason)
        case .reload:
            let entry = load(owner)
            lock.withLock { owners[owner] = entry }
            guard let keys = entry.keys else { throw CipherUnavailable(owner: owner, reason: entry.failure ?? "no key") }
            return try makeCipher(keys, owner: owner)
        }
    }

    private func checkIn(_ cipher: MultiFernet, owner: Int) {
        lock.withLock {
            guard let idle = owners[owner]?.idle.count, idle < Self.idlePerOwner else { return }
            owners[owner]?.idle.append(cipher)
        }
    }

    private func makeCipher(_ keys: [FernetKey], owner: Int) throws -> MultiFernet {
        do {
            return try MultiFernet(keys: keys)
        } catch {
            throw CipherUnavailable(owner: owner, reason: "\(error)")
        }
    }

    /// Reads one owner's key file; a missing or unsafe file is remembered
    /// as a failure with its reason (which names the file, never a key).
    private func load(_ owner: Int) -> OwnerEntry {
        let path = Keyring.path(forOwner: owner, in: directory)
        do {
            return OwnerEntry(keys: try KeyFile.read(at: path).keys, failure: nil, readAt: .now)
        } catch {
            return OwnerEntry(keys: nil, failure: error.description, readAt: .now)
        }
    }
}

/// No usable key for a house owner: no key file, or one that is refused.
struct CipherUnavailable: Error, CustomStringConvertible {
    var owner: Int
    var reason: String
    var description: String { "no usable key for owner \(owner): \(reason)" }
}
