internal import COpenSSL

/// Everything derived from one ``FernetKey`` that a token operation needs:
/// the HMAC pad states and one keyed AES context per direction.
///
/// Built once per key when a ``Fernet`` or ``MultiFernet`` is created, so the
/// per-token work is only the cipher and hash rounds themselves.
final class KeySchedule {
    let hmac: HMACSHA256
    let encryptor: AESCBCContext
    let decryptor: AESCBCContext

    init(key: FernetKey) throws(FernetError) {
        var signingKey = Array(key.signingKey)
        var encryptionKey = Array(key.encryptionKey)
        defer {
            OPENSSL_cleanse(&signingKey, signingKey.count)
            OPENSSL_cleanse(&encryptionKey, encryptionKey.count)
        }
        hmac = try signingKey.withUnsafeBufferPointer { bytes throws(FernetError) in
            try HMACSHA256(key: UnsafeRawBufferPointer(bytes))
        }
        (encryptor, decryptor) = try encryptionKey.withUnsafeBufferPointer { bytes throws(FernetError) in
            let key = UnsafeRawBufferPointer(bytes)
            return (try AESCBCContext(key: key, direction: .encrypt), try AESCBCContext(key: key, direction: .decrypt))
        }
    }
}
