import Reports

/// Reads the INFO fields the observer reports. Missing fields count as 0, so
/// a Redis that hides a section (a managed service, say) still gives a series.
enum RedisInfoFields {
    static func sample(_ info: [String: String], t: Double, database: Int = 0) -> RedisSample {
        func number(_ field: String) -> Int { Int(info[field] ?? "") ?? 0 }
        let keyspace = self.keyspace(info["db\(database)"])
        return RedisSample(
            t: t, usedMemory: number("used_memory"), maxMemory: number("maxmemory"),
            evictedKeys: number("evicted_keys"), expiredKeys: number("expired_keys"),
            keys: keyspace.keys, keysWithExpiry: keyspace.expires
        )
    }

    /// `keys=12,expires=12,avg_ttl=3599000` → (12, 12); absent when the db is empty.
    static func keyspace(_ text: String?) -> (keys: Int, expires: Int) {
        var keys = 0
        var expires = 0
        for part in (text ?? "").split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]) else { continue }
            if pair[0] == "keys" { keys = value }
            if pair[0] == "expires" { expires = value }
        }
        return (keys, expires)
    }
}
