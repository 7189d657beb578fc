/// Something that makes and opens Fernet tokens: ``Fernet`` (one key) or
/// ``MultiFernet`` (a current key plus older ones still accepted).
///
/// Conforming types reuse cipher contexts and buffers between tokens and are
/// therefore not thread-safe; create one per thread or task (it is cheap).
///
/// Tokens are base64url ASCII. The byte-array and raw-buffer forms are the
/// fast ones (no `String` is built or validated); the `String` forms are for
/// convenience. Plaintext always comes back as bytes.
public protocol FernetCipher: AnyObject {
    /// Encrypts `plaintext` under the current key, stamped with the clock's
    /// time, and returns the token's base64url bytes.
    func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> [UInt8]

    /// Like ``encrypt(_:)-(UnsafeRawBufferPointer)``, returning the token as a string.
    func encryptToString(_ plaintext: UnsafeRawBufferPointer) throws(FernetError) -> String

    /// Verifies and decrypts a base64url token; returns the plaintext and the
    /// authenticated timestamp (seconds since the epoch).
    ///
    /// With a `ttl`, a token older than `ttl` throws ``FernetError/Code/expired``
    /// and one stamped further ahead of the clock than the instance's allowed
    /// skew throws ``FernetError/Code/fromTheFuture``. Without one, as in the
    /// spec, the timestamp is not checked at all.
    func decryptWithTimestamp(_ token: UnsafeRawBufferPointer, ttl: Duration?) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64)
}

extension FernetCipher {
    /// Encrypts bytes; returns the token's base64url bytes.
    @inlinable
    public func encrypt(_ plaintext: [UInt8]) throws(FernetError) -> [UInt8] {
        try plaintext.withUnsafeBufferPointer { bytes throws(FernetError) in
            try encrypt(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Encrypts a string's UTF-8; returns the token as a string.
    @inlinable
    public func encrypt(_ plaintext: String) throws(FernetError) -> String {
        var plaintext = plaintext
        return try plaintext.withUTF8 { utf8 in
            Result { () throws(FernetError) in try encryptToString(UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// Verifies and decrypts a token held in a buffer; see ``decryptWithTimestamp(_:ttl:)-(UnsafeRawBufferPointer,_)``.
    @inlinable
    public func decrypt(_ token: UnsafeRawBufferPointer, ttl: Duration? = nil) throws(FernetError) -> [UInt8] {
        try decryptWithTimestamp(token, ttl: ttl).plaintext
    }

    /// Verifies and decrypts a token held as bytes.
    @inlinable
    public func decrypt(_ token: [UInt8], ttl: Duration? = nil) throws(FernetError) -> [UInt8] {
        try decryptWithTimestamp(token, ttl: ttl).plaintext
    }

    /// Verifies and decrypts a token held as a string.
    @inlinable
    public func decrypt(_ token: String, ttl: Duration? = nil) throws(FernetError) -> [UInt8] {
        try decryptWithTimestamp(token, ttl: ttl).plaintext
    }

    /// Verifies and decrypts a token held as bytes; also returns its authenticated timestamp.
    @inlinable
    public func decryptWithTimestamp(_ token: [UInt8], ttl: Duration? = nil) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64) {
        try token.withUnsafeBufferPointer { bytes throws(FernetError) in
            try decryptWithTimestamp(UnsafeRawBufferPointer(bytes), ttl: ttl)
        }
    }

    /// Verifies and decrypts a token held as a string; also returns its authenticated timestamp.
    @inlinable
    public func decryptWithTimestamp(_ token: String, ttl: Duration? = nil) throws(FernetError) -> (plaintext: [UInt8], timestamp: UInt64) {
        var token = token
        return try token.withUTF8 { utf8 in
            Result { () throws(FernetError) in try decryptWithTimestamp(UnsafeRawBufferPointer(utf8), ttl: ttl) }
        }.get()
    }
}
