internal import COpenSSL

/// HMAC-SHA256 under one fixed key, with the key's pad blocks hashed once.
///
/// HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)). The two 64-byte pad blocks
/// depend only on the key, so the SHA-256 states after absorbing them are
/// computed in `init` and every message starts from a struct copy of them.
/// That saves two of the six compression-function calls of a 200-byte
/// reading, and copying a `SHA256_CTX` is a plain memcpy, where OpenSSL 3's
/// `EVP_MD_CTX_copy_ex` and `EVP_MAC_CTX_dup` allocate (see shim.h).
struct HMACSHA256 {
    static let tagCount = 32
    private static let blockCount = 64

    private let innerState: SHA256_CTX
    private let outerState: SHA256_CTX

    init(key: UnsafeRawBufferPointer) throws(FernetError) {
        precondition(key.count <= HMACSHA256.blockCount, "HMAC keys longer than a SHA-256 block must be hashed first")
        innerState = try HMACSHA256.state(afterPadding: key, with: 0x36)
        outerState = try HMACSHA256.state(afterPadding: key, with: 0x5C)
    }

    private static func state(afterPadding key: UnsafeRawBufferPointer, with pad: UInt8) throws(FernetError) -> SHA256_CTX {
        var block = [UInt8](repeating: pad, count: blockCount)
        for (index, byte) in key.enumerated() {
            block[index] ^= byte
        }
        defer { OPENSSL_cleanse(&block, block.count) }
        var state = SHA256_CTX()
        try FernetError.check(hearth_sha256_init(&state), "SHA256_Init")
        try FernetError.check(hearth_sha256_update(&state, block, block.count), "SHA256_Update")
        return state
    }

    /// Writes the 32-byte tag of `message` to `tag`.
    @inline(__always)
    func authenticate(_ message: UnsafeRawBufferPointer, tag: UnsafeMutableRawPointer) {
        // SHA256_Update/Final cannot fail on a valid context; they return 1 unconditionally.
        var state = innerState
        _ = hearth_sha256_update(&state, message.baseAddress, message.count)
        _ = hearth_sha256_final(tag.assumingMemoryBound(to: UInt8.self), &state)
        state = outerState
        _ = hearth_sha256_update(&state, tag, HMACSHA256.tagCount)
        _ = hearth_sha256_final(tag.assumingMemoryBound(to: UInt8.self), &state)
    }

    /// Whether `tag` is the tag of `message`, compared in constant time so that
    /// the time taken says nothing about how many leading bytes matched.
    @inline(__always)
    func isValid(_ tag: UnsafeRawPointer, for message: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: HMACSHA256.tagCount, alignment: 16) { expected in
            authenticate(message, tag: expected.baseAddress!)
            return CRYPTO_memcmp(expected.baseAddress, tag, HMACSHA256.tagCount) == 0
        }
    }
}
