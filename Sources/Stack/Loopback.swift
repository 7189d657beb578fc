#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlockingIO

/// Loopback socket helpers: free ports for servers, and the cheap probes that
/// tell whether a server answers. The probes use raw sockets on purpose: the
/// stack must be able to judge a server before any client library trusts it.
enum Loopback {
    /// A port the kernel just handed out on 127.0.0.1, and not one handed to
    /// another stack of this process in the last two minutes.
    ///
    /// The kernel may hand the same free port to two stacks that pick at
    /// once (many tests start stacks together), since each closes its probe
    /// socket before its server binds. Another process can still take the
    /// port first; start-up retries on a new port when a server fails for
    /// that reason, and checks that the server answering is its own.
    static func freePort() throws -> Int {
        for _ in 0 ..< 20 {
            let port = try kernelFreePort()
            if recentPorts.claim(port, now: monotonicSeconds()) { return port }
        }
        return try kernelFreePort()
    }

    /// Longer than any server takes to bind the port it was given.
    private static let recentPorts = RecentPorts(memorySeconds: 120)

    private static func kernelFreePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StackError(.serverFailedToStart, "socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StackError(.serverFailedToStart, "could not find a free loopback port: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Connects to 127.0.0.1:`port`, sends `request` (if any) and returns what
    /// arrives within `timeout` seconds, or nil when nothing listens.
    static func exchange(port: Int, request: [UInt8] = [], timeout: Double = 0.5) -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        if request.isEmpty { return [] }
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(buffer.prefix(n)) : nil
    }

    /// Redis answers `PING` with `+PONG` once it accepts commands.
    static func redisAnswers(port: Int) -> Bool {
        guard let reply = exchange(port: port, request: Array("PING\r\n".utf8)) else { return false }
        return reply.starts(with: Array("+PONG".utf8))
    }

    /// An MQTT 3.1.1 CONNECT with a clean session; the broker answers CONNACK
    /// (0x20) with return code 0 once it serves clients.
    static func mqttAnswers(port: Int) -> Bool {
        let clientID = Array("hearth-probe".utf8)
        var variable: [UInt8] = [0x00, 0x04] + Array("MQTT".utf8) + [0x04, 0x02, 0x00, 0x0a]
        variable += [UInt8(clientID.count >> 8), UInt8(clientID.count & 0xff)] + clientID
        let packet: [UInt8] = [0x10, UInt8(variable.count)] + variable
        guard let reply = exchange(port: port, request: packet), reply.count >= 4 else { return false }
        return reply[0] == 0x20 && reply[3] == 0x00
    }

    static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
