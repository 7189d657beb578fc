#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Redis
import RedisNIO
import Stack
import Testing

/// The event-loop Redis client against a real redis-server from the
/// embedded stack.
@Suite("Redis on event loops, against redis-server")
struct RedisLoopConnectionTests {
    static func withRedis<T>(_ body: (EmbeddedStack, String) async throws -> T) async throws -> T {
        try await EmbeddedStack.withRunning(StackConfiguration(services: [.redis])) { stack in
            try await body(stack, try #require(stack.endpoints.redis))
        }
    }

    static func connection(_ url: String, timeout: TimeAmount = .seconds(5)) throws -> RedisLoopConnection {
        RedisLoopConnection(configuration: try RedisConfiguration(url: url), commandTimeout: timeout,
                            on: MultiThreadedEventLoopGroup.singleton.next())
    }

    @Test("MGET returns stored bytes and nil for missing keys, in the URL's database")
    func mgetRoundTrip() async throws {
        try await Self.withRedis { _, url in
            let writer = try await RedisConnection.connect(url: url + "/3")
            let token = Array("gAAAAA-token".utf8) + [0, 13, 10, 255]
            try await writer.set("house:{1}:sensor:1:latest", token)
            try await writer.set("house:{1}:sensor:3:latest", [])
            let redis = try Self.connection(url + "/3")
            let values = try await redis.values(of: ["house:{1}:sensor:1:latest", "house:{1}:sensor:2:latest", "house:{1}:sensor:3:latest"])
            #expect(values == [token, nil, []])
            #expect(try await redis.values(of: []) == [])
            // Database 0 does not have the keys.
            #expect(try await Self.connection(url).values(of: ["house:{1}:sensor:1:latest"]) == [nil])
            await redis.close()
            await writer.close()
        }
    }

    @Test("concurrent commands on one connection each get their own reply")
    func pipelinedPairing() async throws {
        try await Self.withRedis { _, url in
            let writer = try await RedisConnection.connect(url: url)
            for i in 0 ..< 200 { try await writer.set("k\(i)", Array("v\(i)".utf8)) }
            let redis = try Self.connection(url)
            try await withThrowingTaskGroup(of: (Int, [[UInt8]?]).self) { group in
                for i in 0 ..< 200 { group.addTask { (i, try await redis.values(of: ["k\(i)", "k\((i + 1) % 200)"])) } }
                for try await (i, values) in group {
                    #expect(values == [Array("v\(i)".utf8), Array("v\((i + 1) % 200)".utf8)])
                }
            }
            await redis.close()
            await writer.close()
        }
    }

    @Test("an error reply throws a server error and the connection goes on")
    func errorReply() async throws {
        try await Self.withRedis { _, url in
            let redis = try Self.connection(url)
            _ = try await redis.command(["SET", "s", "text"])
            let error = await #expect(throws: RedisError.self) { try await redis.command(["LPUSH", "s", "x"]) }
            #expect(error?.code == .serverError)
            #expect(error?.serverErrorKind == "WRONGTYPE")
            #expect(try await redis.ping())
            await redis.close()
        }
    }

    @Test("while Redis is down commands fail as unavailable; after a restart the next command reconnects")
    func restart() async throws {
        try await Self.withRedis { stack, url in
            let redis = try Self.connection(url)
            try await redis.connect()
            _ = try await redis.command(["SET", "k", "before"])
            await stack.stop(.redis)
            for _ in 0 ..< 3 {
                let error = await #expect(throws: RedisError.self) { try await redis.values(of: ["k"]) }
                #expect(error?.isUnavailable == true, "\(String(describing: error))")
            }
            let refused = await #expect(throws: RedisError.self) { try await redis.ping() }
            #expect(refused?.code == .connectFailed)
            #expect(refused?.message.contains("is it running?") == true)
            try await stack.restart(.redis)
            // No persistence in the test stack: the key is gone, the connection is back.
            #expect(try await redis.values(of: ["k"]) == [nil])
            #expect(try await redis.ping())
            await redis.close()
        }
    }

    @Test("a command unanswered within the timeout fails as timed out; the next one reconnects")
    func timeout() async throws {
        try await Self.withRedis { stack, url in
            let redis = try Self.connection(url, timeout: .milliseconds(200))
            try await redis.connect()
            // A stopped process keeps its socket: the command is accepted
            // by the kernel and never answered, however long it waits.
            await stack.signal(.redis, SIGSTOP)
            let error = await #expect(throws: RedisError.self) { try await redis.values(of: ["k"]) }
            await stack.signal(.redis, SIGCONT)
            #expect(error?.code == .timedOut)
            #expect(error?.message.contains("MGET") == true)
            #expect(error?.isUnavailable == true)
            #expect(try await redis.ping())
            await redis.close()
        }
    }

    @Test("one connection per event loop; a caller on a loop gets that loop's")
    func connectionPerLoop() async throws {
        try await Self.withRedis { _, url in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let connections = RedisLoopConnections(configuration: try RedisConfiguration(url: url),
                                                   commandTimeout: .seconds(5), group: group)
            #expect(connections.connections.count == 2)
            for loop in group.makeIterator() {
                let chosen = try await loop.submit { connections.connection() }.get()
                #expect(chosen.eventLoop === loop)
            }
            try await connections.connect()
            #expect(try await connections.connection().ping())
            await connections.close()
            try await group.shutdownGracefully()
        }
    }
}
