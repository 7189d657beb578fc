import Redis

/// The commands the HTTP API sends, typed.
extension RedisLoopConnection {
    /// `MGET` of many keys in one round trip; nil where a key is missing
    /// (never written, expired, or evicted).
    public func values(of keys: [String]) async throws -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await command(["MGET"] + keys.map { .text($0) })
        guard let items = reply.array, items.count == keys.count else {
            throw RedisError(.unexpectedReply, "MGET answered something other than \(keys.count) values")
        }
        return items.map(\.bytes)
    }

    public func ping() async throws -> Bool {
        try await command(["PING"]) == .status("PONG")
    }

    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        try await command(["DEL"] + keys.map { .text($0) }).integer ?? 0
    }
}
