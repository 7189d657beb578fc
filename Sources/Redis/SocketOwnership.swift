#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a connection's descriptor still belongs to it, asked when the
/// connection breaks.
///
/// A descriptor closed twice somewhere else in the process (a bug outside
/// this client) can take a live connection's number, or hand it to a new
/// socket: the connection then reads someone else's bytes, and closing it
/// would close that other socket too. Twice a full test run lost a
/// connection in ways that fit this (EBADF from a connect, and a reset
/// when another test's server stopped), so the lost-connection error says
/// when it is so, and the caller leaves such a descriptor alone.
enum SocketOwnership {
    /// nil if `descriptor` is still a socket to `port` (or a broken one,
    /// which says nothing); otherwise what happened to it.
    static func problem(descriptor: Int32, expectedPort: Int) -> String? {
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        }
        if rc != 0 {
            return errno == EBADF || errno == ENOTSOCK
                ? "its descriptor \(descriptor) was closed or reused elsewhere in this process" : nil
        }
        let port: UInt16
        switch Int32(address.ss_family) {
        case AF_INET:
            port = withUnsafeBytes(of: &address) { $0.load(as: sockaddr_in.self).sin_port }
        case AF_INET6:
            port = withUnsafeBytes(of: &address) { $0.load(as: sockaddr_in6.self).sin6_port }
        default:
            return "its descriptor \(descriptor) is now another kind of socket: it was closed and reused elsewhere in this process"
        }
        let peer = Int(UInt16(bigEndian: port))
        return peer == expectedPort ? nil
            : "its descriptor \(descriptor) now leads to port \(peer): it was closed and reused elsewhere in this process"
    }
}
