internal import COpenSSL

/// One reusable AES-128-CBC context for one direction under one key.
///
/// Creating and keying an `EVP_CIPHER_CTX` per token costs more than
/// encrypting a 200-byte reading, and even re-initialising an existing context
/// with a new IV (`EVP_CipherInit_ex` with a NULL cipher) costs about 140 ns,
/// which is what the cipher work itself costs. So the context is keyed once,
/// padding is switched off (Fernet's PKCS #7 padding is done by the caller),
/// and the context is never re-initialised. Instead each message continues the
/// context's CBC chain and the IV is folded in by hand:
///
/// - a CBC context whose chaining value is `S` encrypts a first block `X` to
///   `E(X ⊕ S)`; feeding `X = P₁ ⊕ IV ⊕ S` yields `E(P₁ ⊕ IV)`, the first
///   block of a fresh CBC encryption under `IV`.
/// - decrypting `C₁` yields `D(C₁) ⊕ S`; XOR-ing that with `S ⊕ IV` yields
///   `D(C₁) ⊕ IV`, the first plaintext block under `IV`.
///
/// Blocks after the first are chained identically either way. After each call
/// the chaining value is the last ciphertext block, kept in `chain`.
///
/// Not thread-safe: one context belongs to one ``Fernet``/``MultiFernet``.
final class AESCBCContext {
    static let blockCount = 16
    static let keyCount = 16
    /// The largest whole-block length that fits `EVP_CipherUpdate`'s `Int32`.
    private static let maximumChunkCount = 1 << 30

    enum Direction {
        case encrypt
        case decrypt
    }

    private let context: OpaquePointer
    private let direction: Direction
    /// The chaining value `S` the context will XOR into the next block.
    private var chain = (UInt64(0), UInt64(0))

    init(key: UnsafeRawBufferPointer, direction: Direction) throws(FernetError) {
        precondition(key.count == AESCBCContext.keyCount, "AES-128 takes a 16-byte key")
        guard let context = EVP_CIPHER_CTX_new() else {
            throw FernetError.fromOpenSSL("EVP_CIPHER_CTX_new")
        }
        self.context = context
        self.direction = direction
        let zeroIV = [UInt8](repeating: 0, count: AESCBCContext.blockCount)
        let keyBytes = key.baseAddress!.assumingMemoryBound(to: UInt8.self)
        try FernetError.check(
            EVP_CipherInit_ex(context, EVP_aes_128_cbc(), nil, keyBytes, zeroIV, direction == .encrypt ? 1 : 0),
            "EVP_CipherInit_ex(AES-128-CBC)"
        )
        try FernetError.check(EVP_CIPHER_CTX_set_padding(context, 0), "EVP_CIPHER_CTX_set_padding")
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts `count` bytes (whole blocks, at least one) in place under `iv`.
    @inline(__always)
    func encrypt(inPlace buffer: UnsafeMutableRawPointer, count: Int, iv: UnsafeRawPointer) throws(FernetError) {
        precondition(direction == .encrypt && count >= AESCBCContext.blockCount && count % AESCBCContext.blockCount == 0)
        xorFirstBlock(buffer, with: iv)
        try update(from: UnsafeRawPointer(buffer), to: buffer, count: count)
        chain = AESCBCContext.loadBlock(buffer + (count - AESCBCContext.blockCount))
    }

    /// Decrypts `count` bytes (whole blocks, at least one) from `ciphertext`
    /// into `plaintext` under `iv`. The two buffers must not overlap.
    @inline(__always)
    func decrypt(_ ciphertext: UnsafeRawPointer, count: Int, iv: UnsafeRawPointer, into plaintext: UnsafeMutableRawPointer) throws(FernetError) {
        precondition(direction == .decrypt && count >= AESCBCContext.blockCount && count % AESCBCContext.blockCount == 0)
        try update(from: ciphertext, to: plaintext, count: count)
        xorFirstBlock(plaintext, with: iv)
        chain = AESCBCContext.loadBlock(ciphertext + (count - AESCBCContext.blockCount))
    }

    /// XORs `S ⊕ iv` into the first block of `buffer`.
    @inline(__always)
    private func xorFirstBlock(_ buffer: UnsafeMutableRawPointer, with iv: UnsafeRawPointer) {
        let block = AESCBCContext.loadBlock(UnsafeRawPointer(buffer))
        let vector = AESCBCContext.loadBlock(iv)
        buffer.storeBytes(of: block.0 ^ vector.0 ^ chain.0, as: UInt64.self)
        buffer.storeBytes(of: block.1 ^ vector.1 ^ chain.1, toByteOffset: 8, as: UInt64.self)
    }

    /// Runs the cipher over whole blocks. `EVP_CipherUpdate` takes an `Int32`
    /// length, so very long messages go through in chunks; with padding off,
    /// CBC chaining carries across calls exactly as within one.
    @inline(__always)
    private func update(from input: UnsafeRawPointer, to output: UnsafeMutableRawPointer, count: Int) throws(FernetError) {
        var offset = 0
        while offset < count {
            let chunk = Int32(min(count - offset, AESCBCContext.maximumChunkCount))
            var written: Int32 = 0
            let result = EVP_CipherUpdate(
                context,
                (output + offset).assumingMemoryBound(to: UInt8.self), &written,
                (input + offset).assumingMemoryBound(to: UInt8.self), chunk
            )
            guard result == 1, written == chunk else {
                let error = FernetError.fromOpenSSL("EVP_CipherUpdate(AES-128-CBC)")
                resetChain()
                throw error
            }
            offset += Int(chunk)
        }
    }

    /// After a failed update the context's chaining value is unknown, so it is
    /// reset to the all-zero IV that `chain` then describes again.
    private func resetChain() {
        let zeroIV = [UInt8](repeating: 0, count: AESCBCContext.blockCount)
        _ = EVP_CipherInit_ex(context, nil, nil, nil, zeroIV, -1)
        ERR_clear_error()
        chain = (0, 0)
    }

    @inline(__always)
    private static func loadBlock(_ pointer: UnsafeRawPointer) -> (UInt64, UInt64) {
        (pointer.loadUnaligned(as: UInt64.self), pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
}
