import Foundation
import Testing
@testable import Stack

@Suite("Embedded stack")
struct EmbeddedStackTests {
    @Test("start all three, kill -9 one, status reports it, stop leaves nothing behind")
    func killedChildIsReportedAndStopCleansUp() async throws {
        let stack = try await EmbeddedStack.start()
        let runDirectory = stack.runDirectory
        let before = await stack.status()
        #expect(before.map(\.state) == [.running, .running, .running])
        let pids = before.compactMap(\.pid)
        #expect(pids.count == 3)

        await stack.signal(.redis, SIGKILL)
        var redis = await stack.status().first { $0.service == .redis }
        for _ in 0 ..< 100 where redis?.state != .exited {
            try await Task.sleep(nanoseconds: 10_000_000)
            redis = await stack.status().first { $0.service == .redis }
        }
        #expect(redis?.state == .exited)
        #expect(redis?.detail == "killed by signal 9")
        let others = await stack.status().filter { $0.service != .redis }
        #expect(others.allSatisfy { $0.state == .running })

        await stack.stop()
        #expect(!FileManager.default.fileExists(atPath: runDirectory))
        for pid in pids { #expect(!ProcessLiveness.isAlive(pid), "pid \(pid) survived stop()") }
    }

    @Test("withRunning stops the stack when its body throws, and passes the error on")
    func withRunningStopsOnError() async throws {
        struct BodyFailed: Error {}
        var seen: (runDirectory: String, pids: [Int32])?
        await #expect(throws: BodyFailed.self) {
            try await EmbeddedStack.withRunning(StackConfiguration(services: [.redis])) { stack in
                seen = (stack.runDirectory, await stack.status().compactMap(\.pid))
                throw BodyFailed()
            }
        }
        let (runDirectory, pids) = try #require(seen)
        #expect(pids.count == 1)
        #expect(!FileManager.default.fileExists(atPath: runDirectory))
        for pid in pids { #expect(!ProcessLiveness.isAlive(pid), "pid \(pid) survived the body's error") }
    }

    @Test("a state file lets another process find and probe the stack")
    func stateFileProbe() async throws {
        try await withStack([.redis, .mqtt]) { stack in
            let state = try StackStateFile.read(from: stack.runDirectory + "/" + StackStateFile.name)
            #expect(state.endpoints == stack.endpoints)
            let probed = state.probe()
            #expect(probed.first { $0.service == .redis }?.state == .running)
            #expect(probed.first { $0.service == .mqtt }?.state == .running)
            #expect(probed.first { $0.service == .postgres }?.state == .notStarted)
        }
    }

    @Test("restart brings a server back on the same port")
    func restartKeepsPort() async throws {
        try await withStack([.redis]) { stack in
            let url = stack.endpoints.redis
            try await stack.restart(.redis)
            #expect(stack.endpoints.redis == url)
            #expect(await stack.status().first { $0.service == .redis }?.state == .running)
        }
    }

    @Test("a port in use fails with the server's own log, and nothing is left running")
    func portInUse() async throws {
        let blocker = try ListeningSocket()
        var configuration = StackConfiguration(services: [.redis, .mqtt])
        configuration.ports[.redis] = blocker.port
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        configuration.runDirectoryParent = parent

        let error = await #expect(throws: StackError.self) { try await EmbeddedStack.start(configuration) }
        #expect(error?.code == .serverFailedToStart)
        #expect(error?.service == .redis)
        #expect(error?.message.contains("Address already in use") == true, "\(error?.message ?? "")")
        // The broker that did start was stopped and the run directory removed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
    }

    @Test("a port another stack's server answers on is not taken for our own server's")
    func portAnsweredByAnotherServer() async throws {
        try await withStack([.redis]) { other in
            // Our redis-server cannot bind this port, and the one already there
            // answers PING just as ours would.
            let url = try #require(other.endpoints.redis)
            let port = try #require(URL(string: url)?.port)
            var configuration = StackConfiguration(services: [.redis])
            configuration.ports[.redis] = port
            let error = await #expect(throws: StackError.self) { try await EmbeddedStack.start(configuration) }
            #expect(error?.code == .serverFailedToStart)
            #expect(error?.message.contains("Address already in use") == true, "\(error?.message ?? "")")
            #expect(await other.status().first { $0.service == .redis }?.state == .running)
        }
    }

    @Test("the listening socket of a port is found in the process that holds it, and only there, among a hundred")
    func portOwnership() throws {
        // /proc/net/tcp then runs far past one 4 KB page, as in a busy test run.
        var sockets: [ListeningSocket] = try (0 ..< 100).map { _ in try ListeningSocket() }
        for socket in sockets {
            #expect(PortOwnership.isHeld(by: getpid(), port: socket.port), "port \(socket.port)")
        }
        let port = sockets[50].port
        #expect(!PortOwnership.isHeld(by: 1, port: port))
        sockets.remove(at: 50)  // closes it
        #expect(!PortOwnership.isHeld(by: getpid(), port: port))
    }

    @Test("a server inherits no descriptor of ours beyond its standard streams")
    func serversInheritNoDescriptors() async throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)  // without close-on-exec, as libraries make theirs
        defer { ends.forEach { close($0) } }
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(ends[1])")
        try await withStack([.redis]) { stack in
            let pid = try #require(await stack.status().first { $0.service == .redis }?.pid)
            let theirs = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")
            }
            #expect(!theirs.isEmpty)
            #expect(!theirs.contains(ours), "redis-server holds our pipe: \(theirs)")
        }
    }

    @Test("system accounts are looked up the same from many threads at once")
    func systemUsers() async {
        #expect(SystemUser.lookup("root")?.uid == 0)
        #expect(SystemUser.lookup("hearth-no-such-user") == nil)
        let expected = SystemUser.lookup("postgres")?.uid
        let seen = await withTaskGroup(of: Set<uid_t?>.self) { group in
            for _ in 0 ..< 8 {
                group.addTask { Set((0 ..< 500).map { _ in SystemUser.lookup("postgres")?.uid }) }
            }
            return await group.reduce(into: Set<uid_t?>()) { $0.formUnion($1) }
        }
        #expect(seen == [expected])
    }

    @Test("a port handed to one stack is not handed to another within the memory")
    func recentPorts() {
        let ports = RecentPorts(memorySeconds: 120)
        #expect(ports.claim(40_000, now: 10))
        #expect(!ports.claim(40_000, now: 100))
        #expect(ports.claim(40_001, now: 100))
        #expect(ports.claim(40_000, now: 131))
    }

    @Test("a missing program names the Debian package to install")
    func missingBinaryMessage() throws {
        #expect(ServerBinaries.find("hearth-no-such-server") == nil)
        let error = StackError(.missingBinary, "redis-server is not installed: run `apt-get install -y redis-server` and try again")
        #expect(error.isBadInput)
    }
}

/// A socket bound and listening on a free loopback port, to occupy it.
final class ListeningSocket {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 1)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

@Suite("Embedded stack lifecycle edge cases")
struct EmbeddedStackLifecycleTests {
    @Test("stop() and status() after the stack already stopped return at once instead of hanging")
    func callsAfterStopReturn() async throws {
        let stack = try await EmbeddedStack.start(StackConfiguration(services: [.redis]))
        await stack.stop()
        await stack.stop()
        let status = await stack.status()
        #expect(status.first { $0.service == .redis }?.state == .exited)
    }
}
