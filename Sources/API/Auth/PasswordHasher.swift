import Crypto
import Foundation
import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// bcrypt hashing and checking, off the cooperative thread pool.
///
/// A bcrypt check at cost 12 burns about a quarter of a second of CPU on
/// purpose. Done inline it would stall one of the two cooperative threads for
/// that long, so it runs on NIO's blocking thread pool. And because HTTP
/// Basic sends the password with every request, a successful check is
/// remembered for a few minutes, keyed by a keyed hash of the stored bcrypt
/// hash and the password: the next request with the same password skips
/// bcrypt, while a changed password (a new stored hash) misses the cache at
/// once. The key is an HMAC under a per-process random key, so the cache
/// holds nothing that would help guess a password.
final class PasswordHasher: Sendable {
    let cost: UInt8
    private let cacheKey = SymmetricKey(size: .bits256)
    private let verified = NIOLockedValueBox<[Data: ContinuousClock.Instant]>([:])
    private static let cacheLifetime: Duration = .seconds(300)
    private static let cacheCapacity = 4096
    /// A hash of nothing anyone knows, checked when the e-mail is unknown so
    /// that a wrong e-mail takes as long as a wrong password and the response
    /// time does not reveal which accounts exist.
    private let decoy: String

    init(cost: UInt8) {
        self.cost = cost
        var generator = SystemRandomNumberGenerator()
        let random = (0 ..< 24).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97 ... 122, using: &generator))) }
        decoy = Bcrypt.hash(String(random), cost: cost)
    }

    /// A new bcrypt hash of `password`.
    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. A locked account (`!`, as seeding
    /// writes) matches nothing.
    func verify(_ password: String, against hash: String) async throws -> Bool {
        guard hash.hasPrefix("$2") else {
            _ = try await verifyWithBcrypt(password, decoy)
            return false
        }
        let key = Data(HMAC<SHA256>.authenticationCode(for: Array(hash.utf8) + [0] + Array(password.utf8), using: cacheKey))
        let now = ContinuousClock.now
        if let until = verified.withLockedValue({ $0[key] }), until > now { return true }
        guard try await verifyWithBcrypt(password, hash) else { return false }
        verified.withLockedValue { cache in
            if cache.count >= Self.cacheCapacity {
                cache = cache.filter { $0.value > now }
                if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            }
            cache[key] = now + Self.cacheLifetime
        }
        return true
    }

    /// Spends the time of one check on the decoy hash; for unknown e-mails.
    func spendCheckTime(_ password: String) async throws {
        _ = try await verifyWithBcrypt(password, decoy)
    }

    private func verifyWithBcrypt(_ password: String, _ hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
