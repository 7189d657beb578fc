import Foundation
import Redis

/// Pipelined `SET key value EX 3600` with 200-byte values over random keys,
/// against redis-benchmark on the same server.
enum RedisSetBenchmark {
    static let keySpace = 100_000

    /// hearth's client: `connections` connections, each sending pipelines of
    /// `batch` commands back to back.
    static func hearth(url: String, commands: Int, connections: Int, batch: Int, valueBytes: Int) async throws -> Double {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: valueBytes)
        var clients: [RedisConnection] = []
        for _ in 0 ..< connections { clients.append(try await RedisConnection.connect(url: url)) }
        let perConnection = commands / connections
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    var pipeline = RedisPipeline(reservingBytes: batch * (valueBytes + 48), commands: batch)
                    var sent = 0
                    while sent < perConnection {
                        pipeline.removeAll()
                        for _ in 0 ..< min(batch, perConnection - sent) {
                            let key = "key:\(Int.random(in: 0 ..< keySpace, using: &generator))"
                            pipeline.append("SET", .text(key), .bytes(value), "EX", 3600)
                        }
                        let replies = try await client.execute(pipeline)
                        guard replies.allSatisfy({ $0 == .status("OK") }) else {
                            throw BenchmarkError("connection \(index): a SET was refused")
                        }
                        sent += pipeline.count
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(perConnection * connections) / elapsed
    }

    /// `redis-benchmark -P 16` running the same command.
    static func redisBenchmark(port: Int, commands: Int, valueBytes: Int) async throws -> Double {
        let program = try ExternalProgram.locate("redis-benchmark", package: "redis-tools")
        let value = String(repeating: "x", count: valueBytes)
        let result = try await ExternalProgram.run(program, [
            "-h", "127.0.0.1", "-p", "\(port)", "-n", "\(commands)", "-P", "16", "-r", "\(keySpace)", "-q",
            "SET", "key:__rand_int__", value, "EX", "3600",
        ])
        // "SET key:__rand_int__ xxx… EX 3600: 812345.67 requests per second, p50=…"
        guard result.status == 0,
              let marker = result.output.range(of: " requests per second", options: .backwards),
              let rate = Double(result.output[..<marker.lowerBound].split(separator: " ").last ?? "") else {
            throw BenchmarkError("redis-benchmark failed: \(result.output.suffix(300))")
        }
        return rate
    }
}
