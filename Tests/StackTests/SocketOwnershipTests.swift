#if canImport(Glibc)
import Glibc
#endif
@testable import Redis
import Testing

/// The lost-connection diagnosis on real loopback sockets: a descriptor
/// still connected to its server says nothing; one that now leads elsewhere,
/// or was closed, is named.
@Suite("Socket ownership")
struct SocketOwnershipTests {
    /// A listening socket on a free loopback port, and a client connected to it.
    private func connectedPair() throws -> (listener: Int32, client: Int32, port: Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        try #require(connected)
        return (listener, client, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a socket still connected to its port is fine; to another port, or closed, it is named")
    func diagnosis() throws {
        let (listener, client, port) = try connectedPair()
        defer { close(listener) }
        #expect(SocketOwnership.problem(descriptor: client, expectedPort: port) == nil)
        let elsewhere = try #require(SocketOwnership.problem(descriptor: client, expectedPort: port == 1 ? 2 : 1))
        #expect(elsewhere.contains("now leads to port \(port)"))
        close(client)
        let closed = try #require(SocketOwnership.problem(descriptor: client, expectedPort: port))
        #expect(closed.contains("closed or reused elsewhere"))
        #expect(SocketOwnership.problem(descriptor: -1, expectedPort: port) == nil)
    }
}
