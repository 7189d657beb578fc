import Foundation
import Redis
import Stack
import Testing

@Suite("Redis client against redis-server")
struct RedisClientTests {
    @Test("a pipeline of 10,000 SET … EX 3600, then every key has a TTL near an hour")
    func pipelinedSetWithExpiry() async throws {
        try await withStack([.redis]) { stack in
            let redis = try await RedisConnection.connect(url: try #require(stack.endpoints.redis))
            var pipeline = RedisPipeline(reservingBytes: 10_000 * 64, commands: 10_000)
            for i in 0 ..< 10_000 {
                pipeline.append("SET", .text("house:{\(i % 100)}:sensor:\(i):latest"), .bytes(Array("token-\(i)".utf8)), "EX", 3600)
            }
            // The TTLs count down while the test runs; under a whole suite's
            // load this can take half a minute, so the bound follows the clock.
            let sent = ContinuousClock.now
            let replies = try await redis.execute(pipeline)
            #expect(replies.count == 10_000)
            #expect(replies.allSatisfy { $0 == .status("OK") })
            #expect(try await redis.dbsize() == 10_000)
            for i in [0, 4_999, 9_999] {
                let key = "house:{\(i % 100)}:sensor:\(i):latest"
                let ttl = try #require(try await redis.ttl(key))
                let elapsed = Int((ContinuousClock.now - sent).components.seconds)
                #expect((3600 - elapsed - 2 ... 3600).contains(ttl), "\(elapsed) s after the pipeline")
                #expect(try await redis.get(key) == Array("token-\(i)".utf8))
            }
            #expect(try await redis.ttl("no-such-key") == nil)
        }
    }

    @Test("binary-safe values, error replies as typed errors, and the typed helpers")
    func typedHelpers() async throws {
        try await withStack([.redis]) { stack in
            let redis = try await RedisConnection.connect(url: try #require(stack.endpoints.redis))
            let binary: [UInt8] = [0, 13, 10, 255, 0x24, 0x2a, 0]
            try await redis.set("bin", binary, expireSeconds: 60)
            #expect(try await redis.get("bin") == binary)
            #expect(try await redis.memoryUsage("bin") ?? 0 > 0)

            let error = await #expect(throws: RedisError.self) { try await redis.command("LPUSH", "bin", "x") }
            #expect(error?.code == .serverError)
            #expect(error?.serverErrorKind == "WRONGTYPE")

            let info = try await redis.info("memory")
            #expect(Int(info["used_memory"] ?? "") ?? 0 > 0)
            #expect(info["maxmemory"] == String(256 * 1024 * 1024))
            #expect(try await redis.configGet("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru")
            try await redis.configSet("maxmemory", "8mb")
            #expect(try await redis.configGet("maxmemory")["maxmemory"] == String(8 * 1024 * 1024))

            var seen: Set<String> = []
            var cursor = "0"
            repeat {
                let step = try await redis.scan(cursor: cursor, match: "bin*", count: 100)
                seen.formUnion(step.keys)
                cursor = step.cursor
            } while cursor != "0"
            #expect(seen == ["bin"])
        }
    }

    @Test("streams: XADD with MAXLEN ~, a consumer group, XREADGROUP and XACK")
    func streamsWithConsumerGroup() async throws {
        try await withStack([.redis]) { stack in
            let redis = try await RedisConnection.connect(url: try #require(stack.endpoints.redis))
            try await redis.xgroupCreate("readings", group: "hearth")
            try await redis.xgroupCreate("readings", group: "hearth")  // idempotent
            for i in 0 ..< 20 {
                try await redis.xadd("readings", maxLength: 10_000, fields: [("token", Array("t\(i)".utf8))])
            }
            let entries = try await redis.xreadgroup(group: "hearth", consumer: "c1", stream: "readings", count: 100, blockMilliseconds: 100)
            #expect(entries.count == 20)
            #expect(entries.first?.fields["token"] == Array("t0".utf8))
            #expect(try await redis.xack("readings", group: "hearth", ids: entries.map(\.id)) == 20)
            let pending = try await redis.command("XPENDING", "readings", "hearth")
            #expect(pending.array?.first == .integer(0))
        }
    }

    @Test("after a Redis restart the client reconnects and works again")
    func reconnectAfterRestart() async throws {
        try await withStack([.redis]) { stack in
            let redis = try await RedisConnection.connect(url: try #require(stack.endpoints.redis))
            try await redis.set("k", [1])
            try await stack.restart(.redis)
            // The first command after the restart may find the old socket dead;
            // it fails with .connectionLost and the next one reconnects.
            do {
                _ = try await redis.ping()
            } catch let error as RedisError {
                #expect(error.code == .connectionLost)
            }
            #expect(try await redis.ping())
            try await redis.set("k", [2])
            #expect(try await redis.get("k") == [2])
            #expect(await redis.reconnects == 1)
        }
    }

    @Test("connecting where nothing listens fails with a message naming the address")
    func connectRefused() async throws {
        let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(url: "redis://127.0.0.1:1") }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains("127.0.0.1:1") == true)
    }
}
