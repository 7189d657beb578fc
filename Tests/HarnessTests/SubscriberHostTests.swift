import Foundation
import Glibc
import Logging
import Stack
import Subscriber
import Testing
@testable import Harness

/// The run's in-process subscriber: `start` returns once it has subscribed,
/// and otherwise fails with a reason rather than waiting on.
@Suite("Subscriber host", .timeLimit(.minutes(2)))
struct SubscriberHostTests {
    private struct Ignore: SubscriberObserver {
        func subscriberDidStore(_ batch: StoredBatch) {}
    }

    /// An empty key folder is enough: nothing is published.
    private func host(mqtt: String, redis: String, postgres: String) throws -> SubscriberHost {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        var configuration = SubscriberConfiguration(mqttURL: mqtt, redisURL: redis, postgresURL: postgres, keyDirectory: keys)
        configuration.stateDirectory = keys + "-state"
        return SubscriberHost(configuration: configuration, observer: Ignore(), logger: Logger(label: "test.host"))
    }

    /// A host whose Redis and PostgreSQL are real and whose broker accepts
    /// the connection and never answers CONNECT.
    private func withHostOnSilentBroker(_ body: (SubscriberHost) async throws -> Void) async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        try await EmbeddedStack.withRunning(StackConfiguration(services: [.redis, .postgres])) { stack in
            try await body(try host(mqtt: "mqtt://127.0.0.1:\(listener.port)", redis: stack.endpoints.redis!, postgres: stack.endpoints.postgres!))
        }
    }

    @Test("start returns once subscribed; stop ends the subscriber")
    func startsAndStops() async throws {
        try await EmbeddedStack.withRunning { stack in
            let endpoints = stack.endpoints
            let host = try host(mqtt: endpoints.mqtt!, redis: endpoints.redis!, postgres: endpoints.postgres!)
            try await host.start()
            #expect(host.statistics != nil)
            try await host.stop()
            #expect(host.statistics == nil)
        }
    }

    @Test("a server it cannot reach fails the start with the run's own error")
    func unreachableServer() async throws {
        let host = try host(mqtt: "mqtt://127.0.0.1:1", redis: "redis://127.0.0.1:1", postgres: "postgres://hearth@127.0.0.1:1/hearth")
        let clock = ContinuousClock()
        let began = clock.now
        await #expect(throws: (any Error).self) { try await host.start(timeout: .seconds(60)) }
        #expect(clock.now - began < .seconds(30), "it failed when the run ended, not at the time-out")
        #expect(host.statistics == nil)
    }

    @Test("a broker that never answers CONNECT: the start fails at its time-out and the subscriber is stopped")
    func silentBroker() async throws {
        try await withHostOnSilentBroker { host in
            let clock = ContinuousClock()
            let began = clock.now
            let error = await #expect(throws: RunError.self) { try await host.start(timeout: .milliseconds(300)) }
            #expect(error?.message.contains("did not subscribe within") == true, "\(String(describing: error))")
            // Not at the end of the subscriber's 5 s CONNECT wait, which a stop does not cut short.
            #expect(clock.now - began < .seconds(4), "start returned \(clock.now - began) after it began")
            try? await host.stop()  // the run it stopped has ended; stop only collects it
            #expect(host.statistics == nil)
        }
    }

    @Test("a caller that gives up while start waits gets CancellationError at once, and stop collects the subscriber")
    func cancelledStart() async throws {
        try await withHostOnSilentBroker { host in
            let starting = Task { try await host.start(timeout: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(200))
            let clock = ContinuousClock()
            let cancelledAt = clock.now
            starting.cancel()
            await #expect(throws: CancellationError.self) { try await starting.value }
            #expect(clock.now - cancelledAt < .seconds(4), "start returned \(clock.now - cancelledAt) after the cancel")
            try? await host.stop()
            #expect(host.statistics == nil)
        }
    }
}

/// A loopback TCP port that accepts connections (in the kernel's backlog)
/// and never says a word.
private final class SilentListener {
    let port: Int
    private let socket: Int32

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && listen(socket, 16) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else {
            Glibc.close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        self.socket = socket
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(socket) }
}
