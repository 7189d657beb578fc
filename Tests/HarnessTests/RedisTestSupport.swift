import Harness
import Redis
import Stack

/// Runs `body` against an embedded redis-server with the given limit and
/// policy on its own free port, and always stops it.
func withRedis<T>(maxMemory: String = "256mb", policy: String = "allkeys-lru",
                  _ body: (EmbeddedStack, RedisConnection) async throws -> T) async throws -> T {
    try await EmbeddedStack.withRunning(StackConfiguration(services: [.redis], redis: .init(maxMemory: maxMemory, maxMemoryPolicy: policy))) { stack in
        let redis = try await RedisConnection.connect(url: stack.endpoints.redis!)
        let result = try await body(stack, redis)
        await redis.close()
        return result
    }
}

/// `SET house:{h}:sensor:{s}:latest <bytes> EX ttl` for each sensor, one house
/// per ten sensors, noting each store in the ledger once Redis acknowledged it.
func storeLatest(_ sensors: Range<Int>, on redis: RedisConnection, ledger: LatestKeyLedger, valueBytes: Int = 300, ttl: Int = 3600) async throws {
    var pipeline = RedisPipeline()
    for sensor in sensors {
        pipeline.append("SET", .text("house:{\(sensor / 10)}:sensor:\(sensor):latest"), .bytes(Array(repeating: 0x41, count: valueBytes)), "EX", .integer(ttl))
    }
    let replies = try await redis.execute(pipeline)
    for (sensor, reply) in zip(sensors, replies) where reply == .status("OK") {
        ledger.record(sensor: sensor, house: sensor / 10)
    }
}
