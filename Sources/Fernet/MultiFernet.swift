/// Fernet with key rotation, as Python's `MultiFernet`: tokens are made with
/// the first key and opened with whichever key's HMAC matches.
///
/// Each house owner has one of these, built from the owner's key file by
/// ``Keyring/multiFernet(forOwner:clock:maxClockSkew:)``. After
/// `hearth keys rotate` prepends a new key, publishers switch to it while
/// tokens already in flight or at rest still decrypt under the old ones.
///
/// Like ``Fernet``, an instance reuses contexts and buffers and is **not
/// thread-safe**; make one per thread or task.
public final class MultiFernet: FernetCipher {
    private let engine: FernetEngine

    /// - Parameters:
    ///   - keys: The current key first, then older keys that are still accepted.
    ///   - clock: Stamps new tokens and judges TTLs; inject one in tests.
    ///   - ivSource: IVs for new tokens; inject one only in tests.
    ///   - maxClockSkew: How far in the future a token may be stamped when a TTL is checked.
    /// - Throws: ``FernetError/Code/badKey`` if `keys` is empty.
    public init(
        keys: [FernetKey],
        clock: FernetClock = .system,
        ivSource: FernetIVSource = .random(),
        maxClockSkew: Duration = Fernet.defaultMaxClockSkew
    ) throws(FernetError) {
        guard !keys.isEmpty else {
            throw FernetError(.badKey, "MultiFernet needs at least one key")
        }
        engine = try FernetEngine(keys: keys, clock: clock, ivSource: ivSource, maxClockSkew: maxClockSkew)
    }

    /// How many keys are accepted for decryption.
    public var keyCount: Int { engine.keyCount }

    public func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> [UInt8] {
        try engine.encryptToBytes(plaintext, timestamp: engine.now())
    }

    public func encryptToString(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> String {
        try engine.encryptToString(plaintext, timestamp: engine.now())
    }

    public func decryptWithTimestamp(_ token: UnsafeRawBufferPointer, ttl: Duration?) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64) {
        try engine.decrypt(token, ttl: ttl)
    }

    /// Re-encrypts a token under the current key, keeping its original
    /// timestamp (so TTLs still count from when the data was made), as
    /// Python's `MultiFernet.rotate`. Use it to move data at rest, such as
    /// Redis' latest readings, off a key before retiring that key.
    public func rotate(_ token: [UInt8], ttl: Duration? = nil) throws(FernetError) -> [UInt8] {
        var (plaintext, timestamp) = try decryptWithTimestamp(token, ttl: ttl)
        defer { wipe(&plaintext) }
        return try plaintext.withUnsafeBufferPointer { bytes throws(FernetError) in
            try engine.encryptToBytes(UnsafeRawBufferPointer(bytes), timestamp: timestamp)
        }
    }

    /// ``rotate(_:ttl:)-([UInt8],_)`` for a token held as a string.
    public func rotate(_ token: String, ttl: Duration? = nil) throws(FernetError) -> String {
        var (plaintext, timestamp) = try decryptWithTimestamp(token, ttl: ttl)
        defer { wipe(&plaintext) }
        return try plaintext.withUnsafeBufferPointer { bytes throws(FernetError) in
            try engine.encryptToString(UnsafeRawBufferPointer(bytes), timestamp: timestamp)
        }
    }

    /// The plaintext passed through `rotate` is nobody's to keep.
    private func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}

/// Reused contexts and buffers make concurrent use a data race.
@available(*, unavailable)
extension MultiFernet: Sendable {}
