/// Where ``Fernet`` and ``MultiFernet`` take each token's 16-byte IV from.
///
/// Production code uses ``random()``. Tests inject fixed IVs to reproduce the
/// spec's `generate.json` tokens byte for byte.
///
/// Not `Sendable`: the random source owns a buffer that is not locked, in
/// the same way as the ``Fernet`` instance that uses it.
public struct FernetIVSource {
    private enum Storage {
        case pooled(RandomBytePool)
        case custom((UnsafeMutableRawBufferPointer) -> Void)
    }

    private let storage: Storage

    /// Cryptographically random IVs from OpenSSL's DRBG, drawn 4 KiB at a time.
    /// Each call makes a new pool; do not share one source between threads.
    public static func random() -> FernetIVSource {
        FernetIVSource(storage: .pooled(RandomBytePool()))
    }

    /// The same IV every time. Only for tests and spec vectors: reusing an IV
    /// under one key reveals which tokens start with the same 16 bytes.
    public static func constant(_ iv: [UInt8]) -> FernetIVSource {
        precondition(iv.count == 16, "a Fernet IV is 16 bytes")
        return FernetIVSource { destination in
            destination.copyBytes(from: iv)
        }
    }

    /// IVs written by `fill` into a 16-byte buffer, for deterministic tests.
    public init(_ fill: @escaping (UnsafeMutableRawBufferPointer) -> Void) {
        storage = .custom(fill)
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    @inline(__always)
    func fill(_ destination: UnsafeMutableRawBufferPointer) throws(FernetError) {
        switch storage {
        case .pooled(let pool):
            try pool.fill(destination)
        case .custom(let fill):
            fill(destination)
        }
    }
}
