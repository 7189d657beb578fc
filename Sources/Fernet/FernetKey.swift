internal import COpenSSL

/// A Fernet key: 16 bytes of HMAC-SHA256 signing key followed by 16 bytes of
/// AES-128 encryption key, written as 44 characters of padded base64url.
///
/// The value is secret. Its `description`, `debugDescription` and mirror show
/// only ``fingerprint``, so printing, logging or `dump`-ing a key (or a type
/// that contains one) never reveals it. The only way to the secret text is
/// ``base64URLEncoded``, which is meant for writing key files.
public struct FernetKey: Sendable {
    static let byteCount = 32

    /// The 32 key bytes, signing key first.
    let bytes: [UInt8]

    /// Wraps 32 raw key bytes.
    public init(bytes: some Collection<UInt8>) throws(FernetError) {
        guard bytes.count == FernetKey.byteCount else {
            throw FernetError(.badKey, "a Fernet key is 32 bytes, got \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// Parses the spec's text form: 32 bytes in base64url, padded (44
    /// characters, as Python's `Fernet.generate_key()` writes) or unpadded (43).
    public init(base64URL text: some StringProtocol) throws(FernetError) {
        var utf8 = Array(text.utf8)
        defer { OPENSSL_cleanse(&utf8, utf8.count) }
        var decoded = [UInt8](repeating: 0, count: Base64URL.maximumDecodedCount(utf8.count))
        defer { OPENSSL_cleanse(&decoded, decoded.count) }
        let count = utf8.withUnsafeBytes { input in
            decoded.withUnsafeMutableBytes { Base64URL.decode(input, into: $0.baseAddress!) }
        }
        guard let count else {
            throw FernetError(.badKey, "a Fernet key is base64url text (A-Z a-z 0-9 - _ and = padding), and this is not")
        }
        guard count == FernetKey.byteCount else {
            throw FernetError(.badKey, "a Fernet key decodes to 32 bytes, this one to \(count) (expected 44 base64url characters)")
        }
        bytes = Array(decoded.prefix(count))
    }

    /// A new key from OpenSSL's cryptographically secure generator.
    public static func generate() throws(FernetError) -> FernetKey {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        try FernetError.check(RAND_bytes(&bytes, Int32(byteCount)), "RAND_bytes")
        return try FernetKey(bytes: bytes)
    }

    /// The secret key as the spec writes it: 44 characters of padded base64url.
    /// Write it to a 0600 key file; never print or log it.
    public var base64URLEncoded: String {
        String(unsafeUninitializedCapacity: Base64URL.encodedCount(FernetKey.byteCount)) { output in
            bytes.withUnsafeBytes { Base64URL.encode($0, into: UnsafeMutableRawPointer(output.baseAddress!)) }
            return Base64URL.encodedCount(FernetKey.byteCount)
        }
    }

    /// A short public name for the key: the first 8 hex digits of the SHA-256
    /// of its 32 raw bytes. It identifies a key in `hearth keys list` and in
    /// logs without revealing it; reproduce with
    /// `python3 -c 'import base64,hashlib,sys; print(hashlib.sha256(base64.urlsafe_b64decode(sys.argv[1])).hexdigest()[:8])' KEY`.
    public var fingerprint: String {
        var digest = [UInt8](repeating: 0, count: 32)
        var state = SHA256_CTX()
        _ = hearth_sha256_init(&state)
        _ = hearth_sha256_update(&state, bytes, bytes.count)
        _ = hearth_sha256_final(&digest, &state)
        return Hex.string(digest.prefix(4))
    }

    /// The HMAC-SHA256 half.
    var signingKey: ArraySlice<UInt8> { bytes[0..<16] }

    /// The AES-128 half.
    var encryptionKey: ArraySlice<UInt8> { bytes[16..<32] }
}

extension FernetKey: Equatable {
    /// Compares in constant time, like every other comparison of secrets here.
    public static func == (lhs: FernetKey, rhs: FernetKey) -> Bool {
        CRYPTO_memcmp(lhs.bytes, rhs.bytes, FernetKey.byteCount) == 0
    }
}

extension FernetKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "FernetKey(fingerprint: \(fingerprint))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }
}
