/// Fernet under a single key: the spec's encrypt and decrypt.
///
/// ```swift
/// let fernet = try Fernet(key: key)
/// let token = try fernet.encrypt(Array(json.utf8))
/// let plaintext = try fernet.decrypt(token, ttl: .seconds(3600))
/// ```
///
/// An instance keeps keyed AES contexts, precomputed HMAC states, a pool of
/// random IV bytes and a scratch buffer, and reuses them for every token:
/// that is what makes a round trip take about a microsecond. It is therefore
/// **not thread-safe** and deliberately not `Sendable`. Creating one costs a
/// few microseconds, so make one per thread or task, from a shared
/// ``FernetKey`` (which is `Sendable`).
///
/// For rotation (new tokens under a new key, old tokens still readable) use
/// ``MultiFernet``.
public final class Fernet: FernetCipher {
    /// The spec's allowance for tokens stamped slightly ahead of our clock.
    public static let defaultMaxClockSkew: Duration = .seconds(60)

    private let engine: FernetEngine

    /// - Parameters:
    ///   - key: The signing and encryption key.
    ///   - clock: Stamps new tokens and judges TTLs; inject one in tests.
    ///   - ivSource: IVs for new tokens; inject one only in tests.
    ///   - maxClockSkew: How far in the future a token may be stamped when a TTL is checked.
    public init(
        key: FernetKey,
        clock: FernetClock = .system,
        ivSource: FernetIVSource = .random(),
        maxClockSkew: Duration = Fernet.defaultMaxClockSkew
    ) throws(FernetError) {
        engine = try FernetEngine(keys: [key], clock: clock, ivSource: ivSource, maxClockSkew: maxClockSkew)
    }

    public func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> [UInt8] {
        try engine.encryptToBytes(plaintext, timestamp: engine.now())
    }

    public func encryptToString(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> String {
        try engine.encryptToString(plaintext, timestamp: engine.now())
    }

    public func decryptWithTimestamp(_ token: UnsafeRawBufferPointer, ttl: Duration?) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64) {
        try engine.decrypt(token, ttl: ttl)
    }
}

/// Reused contexts and buffers make concurrent use a data race.
@available(*, unavailable)
extension Fernet: Sendable {}
