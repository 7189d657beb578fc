internal import COpenSSL

/// Random bytes drawn from `RAND_bytes` a page at a time.
///
/// Every token needs a fresh 16-byte IV. One `RAND_bytes` call costs about a
/// microsecond whatever its size up to a few KiB (it locks and reseeds the
/// DRBG), so asking for 16 bytes per token would cost as much as the rest of
/// Fernet. Filling 4 KiB at once brings that to a few nanoseconds per IV.
///
/// Not thread-safe; each ``Fernet``/``MultiFernet`` owns its pool. The pool is
/// not fork-safe either: a child created by `fork()` without `exec` would
/// hand out the same bytes as its parent. hearth never forks without exec.
final class RandomBytePool {
    private static let capacity = 4096

    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: RandomBytePool.capacity, alignment: 16)
    /// Bytes before this offset have been handed out.
    private var used = RandomBytePool.capacity

    /// Unused bytes are future IVs; CBC wants IVs unpredictable, so they are
    /// wiped rather than left in freed memory.
    deinit {
        OPENSSL_cleanse(buffer, RandomBytePool.capacity)
        buffer.deallocate()
    }

    /// Fills `destination` with fresh random bytes.
    @inline(__always)
    func fill(_ destination: UnsafeMutableRawBufferPointer) throws(FernetError) {
        let count = destination.count
        guard count <= RandomBytePool.capacity else {
            return try FernetError.check(
                RAND_bytes(destination.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)),
                "RAND_bytes"
            )
        }
        if used + count > RandomBytePool.capacity {
            try FernetError.check(RAND_bytes(buffer.assumingMemoryBound(to: UInt8.self), Int32(RandomBytePool.capacity)), "RAND_bytes")
            used = 0
        }
        destination.baseAddress!.copyMemory(from: buffer + used, byteCount: count)
        used += count
    }
}
