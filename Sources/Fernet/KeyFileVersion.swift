#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which version of a key file is on disk: its size, inode and modification
/// time.
///
/// `hearth keys rotate` replaces a key file by rename (a new inode), so a
/// rotation always changes its version, and comparing versions costs one
/// `stat`. That is how a running subscriber or API notices, at the first
/// token that does not open, a key rotated in a moment ago, without reading
/// key files on a timer or trusting old keys for seconds.
public struct KeyFileVersion: Hashable, Sendable {
    public var size: Int64
    public var inode: UInt64
    public var modifiedSeconds: Int64
    public var modifiedNanoseconds: Int64

    /// The version of the file at `path`, or nil if nothing is there.
    public static func current(at path: String) -> KeyFileVersion? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = status.st_mtimespec
        #else
        let modified = status.st_mtim
        #endif
        return KeyFileVersion(size: Int64(status.st_size), inode: UInt64(status.st_ino),
                              modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec))
    }
}
