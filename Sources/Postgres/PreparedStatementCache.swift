/// The prepared statements one session holds, keyed by SQL text and parameter types.
///
/// Preparing once and then sending only `Bind`/`Execute` saves the server a
/// parse and plan per statement, which matters on the subscriber's hot path
/// where the same few INSERTs run thousands of times. The parameter types are
/// part of the key because a statement's types are fixed when it is prepared.
/// The cache is bounded: SQL built at run time (an `IN` list of varying
/// length) must not grow server memory without limit, so the least recently
/// used statement is deallocated when it is full.
struct PreparedStatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private struct Entry {
        var name: String
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var nextNumber = 0

    init(capacity: Int = 256) {
        precondition(capacity > 0, "a statement cache needs room for at least one statement")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The statement's name if it is prepared, marking it as just used.
    mutating func name(for key: Key) -> String? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[key] = entry
        return entry.name
    }

    /// A fresh statement name, unique in this session.
    mutating func makeName() -> String {
        nextNumber += 1
        return "hearth_\(nextNumber)"
    }

    /// Records a statement the server has prepared. Returns the name of the
    /// statement it pushed out, which the caller deallocates on the server.
    mutating func insert(_ key: Key, name: String) -> String? {
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            evicted = oldest.value.name
        }
        clock += 1
        entries[key] = Entry(name: name, lastUse: clock)
        return evicted
    }

    /// Forgets every statement; for a new session or after the server dropped them.
    mutating func removeAll() {
        entries.removeAll()
    }
}
