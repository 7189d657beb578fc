#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every byte of a file, read to its end with `read(2)`; nil if it cannot be
/// opened or a read fails.
///
/// For `/proc` files, which report a size of 0: Foundation's
/// `String(contentsOfFile:)` returned only the first 4 KB of
/// `/proc/net/tcp` (27 lines of a 1.2 MB table in a busy test run).
public func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return count == 0 ? bytes : nil }
        bytes += chunk[..<count]
    }
}
