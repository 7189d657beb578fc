internal import COpenSSL

/// The token work shared by ``Fernet`` and ``MultiFernet``: seal under the
/// first key, open under whichever key's HMAC matches.
///
/// One engine holds a scratch buffer and the keyed contexts of its key
/// schedules, all reused from token to token, so it is not thread-safe; the
/// public types say so and are cheap to create once per thread or task.
final class FernetEngine {
    /// At least one; the first seals, all open.
    private let schedules: [KeySchedule]
    private let clock: FernetClock
    private let ivSource: FernetIVSource
    private let maxClockSkew: UInt64
    /// Holds the decoded token while it is built or checked.
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int

    init(keys: [FernetKey], clock: FernetClock, ivSource: FernetIVSource, maxClockSkew: Duration) throws(FernetError) {
        precondition(!keys.isEmpty, "a Fernet engine needs at least one key")
        var schedules: [KeySchedule] = []
        schedules.reserveCapacity(keys.count)
        for key in keys {
            schedules.append(try KeySchedule(key: key))
        }
        self.schedules = schedules
        self.clock = clock
        self.ivSource = ivSource
        self.maxClockSkew = FernetEngine.seconds(maxClockSkew)
        scratchCapacity = 1024
        scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchCapacity, alignment: 16)
    }

    deinit {
        OPENSSL_cleanse(scratch, scratchCapacity)
        scratch.deallocate()
    }

    var keyCount: Int { schedules.count }

    func now() -> UInt64 { clock.now() }

    // MARK: Sealing

    /// Builds the decoded token for `plaintext` in `scratch` and returns its length.
    @inline(__always)
    func seal(_ plaintext: UnsafeRawBufferPointer, timestamp: UInt64) throws(FernetError) -> Int {
        let paddedCount = FernetToken.paddedCount(plaintext.count)
        let tokenCount = FernetToken.ciphertextOffset + paddedCount + HMACSHA256.tagCount
        reserveScratch(tokenCount)
        let token = scratch
        token.storeBytes(of: FernetToken.version, as: UInt8.self)
        token.storeBytes(of: timestamp.bigEndian, toByteOffset: FernetToken.timestampOffset, as: UInt64.self)
        let iv = token + FernetToken.ivOffset
        try ivSource.fill(UnsafeMutableRawBufferPointer(start: iv, count: AESCBCContext.blockCount))
        let ciphertext = token + FernetToken.ciphertextOffset
        if let source = plaintext.baseAddress {
            ciphertext.copyMemory(from: source, byteCount: plaintext.count)
        }
        let padding = paddedCount - plaintext.count
        (ciphertext + plaintext.count).initializeMemory(as: UInt8.self, repeating: UInt8(padding), count: padding)
        let schedule = schedules[0]
        try schedule.encryptor.encrypt(inPlace: ciphertext, count: paddedCount, iv: iv)
        let signed = UnsafeRawBufferPointer(start: token, count: FernetToken.ciphertextOffset + paddedCount)
        schedule.hmac.authenticate(signed, tag: ciphertext + paddedCount)
        return tokenCount
    }

    /// Seals `plaintext` and base64url-encodes the token into a byte array.
    @inline(__always)
    func encryptToBytes(_ plaintext: UnsafeRawBufferPointer, timestamp: UInt64) throws(FernetError) -> [UInt8] {
        let tokenCount = try seal(plaintext, timestamp: timestamp)
        let encodedCount = Base64URL.encodedCount(tokenCount)
        return [UInt8](unsafeUninitializedCapacity: encodedCount) { output, initialized in
            Base64URL.encode(UnsafeRawBufferPointer(start: scratch, count: tokenCount), into: output.baseAddress!)
            initialized = encodedCount
        }
    }

    /// Seals `plaintext` and base64url-encodes the token into a string.
    @inline(__always)
    func encryptToString(_ plaintext: UnsafeRawBufferPointer, timestamp: UInt64) throws(FernetError) -> String {
        let tokenCount = try seal(plaintext, timestamp: timestamp)
        let encodedCount = Base64URL.encodedCount(tokenCount)
        return String(unsafeUninitializedCapacity: encodedCount) { output in
            Base64URL.encode(UnsafeRawBufferPointer(start: scratch, count: tokenCount), into: output.baseAddress!)
            return encodedCount
        }
    }

    // MARK: Opening

    /// Checks and decrypts a base64url token. Structure first (cheap, needs no
    /// key), then the HMAC under each key in turn, then age, and only then
    /// the cipher: nothing is decrypted or timed before the token is known to
    /// be authentic, so the reasons reported for forged tokens are never
    /// "expired" or "bad padding", and padding checks leak nothing.
    func decrypt(_ token: UnsafeRawBufferPointer, ttl: Duration?) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64) {
        reserveScratch(Base64URL.maximumDecodedCount(token.count))
        guard let count = Base64URL.decode(token, into: scratch) else {
            throw FernetError(.badBase64, "the token is not base64url (A-Z a-z 0-9 - _ with optional = padding)")
        }
        let decoded = UnsafeRawPointer(scratch)
        guard count > 0 else {
            throw FernetError(.tooShort, "the token is empty")
        }
        let version = decoded.load(as: UInt8.self)
        guard version == FernetToken.version else {
            throw FernetError(.badVersion, "the token's version byte is 0x\(Hex.string([version])), Fernet's is 0x80")
        }
        // Fewer bytes than a one-block token is "too short"; a ciphertext that
        // is there but not whole blocks is its own, more telling reason.
        let ciphertextCount = count - FernetToken.ciphertextOffset - HMACSHA256.tagCount
        guard ciphertextCount > 0 else {
            throw FernetError(.tooShort, "the token decodes to \(count) bytes, fewer than the \(FernetToken.minimumCount) of the shortest Fernet token")
        }
        guard ciphertextCount % AESCBCContext.blockCount == 0 else {
            throw FernetError(.badCiphertextLength, "the token's ciphertext is \(ciphertextCount) bytes, not a whole number of 16-byte AES blocks")
        }
        let signed = UnsafeRawBufferPointer(start: decoded, count: count - HMACSHA256.tagCount)
        let tag = decoded + signed.count
        guard let schedule = schedules.first(where: { $0.hmac.isValid(tag, for: signed) }) else {
            let keys = schedules.count == 1 ? "the key" : "any of the \(schedules.count) keys"
            throw FernetError(.badHMAC, "the token's HMAC does not match \(keys): it is corrupted, forged, or made with another key")
        }
        let timestamp = UInt64(bigEndian: decoded.loadUnaligned(fromByteOffset: FernetToken.timestampOffset, as: UInt64.self))
        if let ttl {
            try checkAge(of: timestamp, ttl: FernetEngine.seconds(ttl))
        }
        let plaintext = try [UInt8](unsafeUninitializedCapacity: ciphertextCount) { output, initialized throws(FernetError) in
            let plaintext = output.baseAddress!
            try schedule.decryptor.decrypt(
                decoded + FernetToken.ciphertextOffset, count: ciphertextCount,
                iv: decoded + FernetToken.ivOffset, into: plaintext
            )
            guard let unpaddedCount = FernetEngine.unpaddedCount(UnsafeBufferPointer(output)) else {
                OPENSSL_cleanse(plaintext, ciphertextCount)
                throw FernetError(.badPadding, "the token is authentic but its decrypted PKCS #7 padding is wrong (wrong IV or a faulty encoder)")
            }
            initialized = unpaddedCount
        }
        return (plaintext, timestamp)
    }

    /// Fernet's time checks, which apply only when the caller sets a TTL
    /// (as in the spec and Python's `cryptography`): older than `ttl`, or
    /// newer than now plus the allowed clock skew.
    private func checkAge(of timestamp: UInt64, ttl: UInt64) throws(FernetError) {
        let now = clock.now()
        if now > timestamp, now - timestamp > ttl {
            throw FernetError(.expired, "the token is \(now - timestamp) s old, older than its \(ttl) s time-to-live")
        }
        if timestamp > now, timestamp - now > maxClockSkew {
            throw FernetError(.fromTheFuture, "the token is stamped \(timestamp - now) s in the future, more than the \(maxClockSkew) s clock skew allowed")
        }
    }

    /// The length without PKCS #7 padding, or nil if the padding is malformed.
    /// Only ever called on authenticated tokens, so branching on the padding
    /// cannot become a padding oracle.
    @inline(__always)
    private static func unpaddedCount(_ block: UnsafeBufferPointer<UInt8>) -> Int? {
        let padding = Int(block[block.count - 1])
        guard padding >= 1, padding <= AESCBCContext.blockCount else { return nil }
        for index in (block.count - padding)..<block.count where block[index] != UInt8(padding) {
            return nil
        }
        return block.count - padding
    }

    // MARK: Helpers

    /// Grows `scratch` to at least `count` bytes; old contents are wiped.
    @inline(__always)
    private func reserveScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        OPENSSL_cleanse(scratch, scratchCapacity)
        scratch.deallocate()
        scratchCapacity = max(count, scratchCapacity * 2)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchCapacity, alignment: 16)
    }

    /// Whole seconds of a non-negative duration; negative durations count as zero.
    static func seconds(_ duration: Duration) -> UInt64 {
        UInt64(clamping: max(duration.components.seconds, 0))
    }
}
