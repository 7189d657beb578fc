/// The layout of a decoded Fernet token, and what can be read from a token
/// without its key.
///
/// ```
/// 0x80 ‖ timestamp (8, big-endian seconds) ‖ IV (16) ‖ ciphertext (16·n) ‖ HMAC-SHA256 (32)
/// ```
/// The HMAC covers everything before it. The whole is base64url-encoded.
public enum FernetToken {
    /// The only version the spec defines.
    static let version: UInt8 = 0x80
    static let timestampOffset = 1
    static let ivOffset = 9
    static let ciphertextOffset = 25
    /// Version, timestamp, IV, one cipher block (PKCS #7 always adds one) and the HMAC.
    static let minimumCount = ciphertextOffset + AESCBCContext.blockCount + HMACSHA256.tagCount
    /// Base64 characters that cover the version and timestamp (9 bytes).
    private static let headerCharacterCount = 12

    /// The PKCS #7-padded length of `count` bytes: always at least one byte of padding.
    @inline(__always)
    static func paddedCount(_ count: Int) -> Int {
        (count / AESCBCContext.blockCount + 1) * AESCBCContext.blockCount
    }

    /// The timestamp a token claims, in seconds since the epoch, read from its
    /// first 12 characters without a key and without checking the HMAC.
    ///
    /// Anyone can write any timestamp into a token, so use this only to skip
    /// work early (for example, to drop a reading far outside a replay window
    /// before paying for the HMAC). ``FernetCipher/decryptWithTimestamp(_:ttl:)``
    /// returns the authenticated timestamp.
    ///
    /// Throws ``FernetError/Code/tooShort``, ``FernetError/Code/badBase64`` or
    /// ``FernetError/Code/badVersion``.
    public static func unverifiedTimestamp(of token: UnsafeRawBufferPointer) throws(FernetError) -> UInt64 {
        guard token.count >= headerCharacterCount else {
            throw FernetError(.tooShort, "a Fernet token has at least \(headerCharacterCount) characters before its timestamp ends, this one has \(token.count)")
        }
        return try withUnsafeTemporaryAllocation(byteCount: 9, alignment: 8) { header throws(FernetError) -> UInt64 in
            let prefix = UnsafeRawBufferPointer(rebasing: token[0..<headerCharacterCount])
            guard Base64URL.decode(prefix, into: header.baseAddress!) == 9 else {
                throw FernetError(.badBase64, "the token's first \(headerCharacterCount) characters are not base64url")
            }
            guard header[0] == version else {
                throw FernetError(.badVersion, "the token's version byte is 0x\(Hex.string([header[0]])), Fernet's is 0x80")
            }
            return UInt64(bigEndian: header.loadUnaligned(fromByteOffset: timestampOffset, as: UInt64.self))
        }
    }

    /// ``unverifiedTimestamp(of:)-(UnsafeRawBufferPointer)`` for a token held as bytes.
    public static func unverifiedTimestamp(of token: [UInt8]) throws(FernetError) -> UInt64 {
        try token.withUnsafeBufferPointer { bytes throws(FernetError) in
            try unverifiedTimestamp(of: UnsafeRawBufferPointer(bytes))
        }
    }

    /// ``unverifiedTimestamp(of:)-(UnsafeRawBufferPointer)`` for a token held as a string.
    public static func unverifiedTimestamp(of token: String) throws(FernetError) -> UInt64 {
        var token = token
        return try token.withUTF8 { utf8 in
            Result { () throws(FernetError) in try unverifiedTimestamp(of: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }
}
