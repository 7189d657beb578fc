import NIOConcurrencyHelpers
import Redis

/// A few Redis connections used in turn.
///
/// A `RedisConnection` is an actor on its own thread and runs one command
/// at a time, so a single one would queue every concurrent `/data` request
/// behind the last. Round-robin over a handful lets their round trips
/// overlap; each connection reconnects by itself after a break.
final class RedisPool: Sendable {
    private let connections: [RedisConnection]
    private let cursor = NIOLockedValueBox(0)

    private init(connections: [RedisConnection]) {
        self.connections = connections
    }

    static func connect(url: String, size: Int) async throws -> RedisPool {
        precondition(size > 0, "a RedisPool needs at least one connection")
        var connections: [RedisConnection] = []
        for _ in 0 ..< size { connections.append(try await RedisConnection.connect(url: url)) }
        return RedisPool(connections: connections)
    }

    /// The next connection in turn.
    func next() -> RedisConnection {
        let index = cursor.withLockedValue { value in
            defer { value = (value + 1) % connections.count }
            return value
        }
        return connections[index]
    }

    func close() async {
        for connection in connections { await connection.close() }
    }
}

extension RedisConnection {
    /// `MGET` of many keys in one round trip; nil where a key is missing
    /// (never written, expired, or evicted).
    func values(of keys: [String]) throws -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        let reply = try command(["MGET"] + keys.map { .text($0) })
        guard let items = reply.array, items.count == keys.count else {
            throw RedisError(.unexpectedReply, "MGET answered something other than \(keys.count) values")
        }
        return items.map(\.bytes)
    }
}
