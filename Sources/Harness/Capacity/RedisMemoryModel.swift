/// How Redis 7's memory grows as string keys with an expiry are added: a
/// measured baseline, a measured cost per key, and the two hash tables (the
/// keyspace and the expires dict) whose slot arrays double in steps.
///
/// The steps follow Redis 7.0's dict.c and server.c:
/// - each table starts at 4 slots of 8 bytes and doubles when a key is
///   added while it holds as many keys as slots;
/// - near the limit a doubling is refused if the new slot array would take
///   used memory over maxmemory (`dictExpandAllowed`), until the table is
///   1.618 times full, when it grows regardless;
/// - eviction (or, under `noeviction`, refusing writes) starts with the
///   first command after used memory exceeds maxmemory.
///
/// Incremental rehashing briefly keeps the old slot array too; the model
/// counts the settled state, as reached at the subscriber's real pace.
struct RedisMemoryModel: Sendable, Equatable {
    /// Bytes in use with no keys (allocator, clients, buffers), as measured.
    var baseline: Double
    /// 0 means no limit.
    var maxMemory: Double

    static let slotBytes = 8.0
    static let initialSlots = 4
    static let forcedGrowthLoadFactor = 1.618

    /// The memory of a keyspace being filled one key at a time.
    struct Fill: Sendable {
        let model: RedisMemoryModel
        private(set) var keys = 0
        /// The keys' own bytes (key, value, entries), without slot arrays.
        private(set) var keyBytes = 0.0
        private(set) var mainSlots = 0
        private(set) var expiresSlots = 0

        init(model: RedisMemoryModel) {
            self.model = model
        }

        var usedMemory: Double {
            model.baseline + keyBytes + RedisMemoryModel.slotBytes * Double(mainSlots + expiresSlots)
        }

        var isOverLimit: Bool { model.maxMemory > 0 && usedMemory > model.maxMemory }

        /// Adds one key of `cost` bytes: the keyspace dict first, then the
        /// expires dict, as `SET … EX` does.
        mutating func add(cost: Double) {
            mainSlots = grown(mainSlots)
            expiresSlots = grown(expiresSlots)
            keys += 1
            keyBytes += cost
        }

        private func grown(_ slots: Int) -> Int {
            if slots == 0 { return RedisMemoryModel.initialSlots }
            guard keys >= slots else { return slots }
            let loadFactor = Double(keys) / Double(slots)
            let newArray = RedisMemoryModel.slotBytes * Double(2 * slots)
            if loadFactor > RedisMemoryModel.forcedGrowthLoadFactor || model.maxMemory == 0 || usedMemory + newArray <= model.maxMemory {
                return 2 * slots
            }
            return slots
        }
    }

    /// Slots of one table holding `keys` keys, far from the limit.
    static func settledSlots(keys: Int) -> Int {
        var slots = initialSlots
        while slots < keys { slots *= 2 }
        return slots
    }

    /// Used memory with `keys` keys of `meanCost` bytes each, far from the limit.
    func usedMemory(keys: Int, meanCost: Double) -> Double {
        guard keys > 0 else { return baseline }
        return baseline + Double(keys) * meanCost + 2 * Self.slotBytes * Double(Self.settledSlots(keys: keys))
    }
}
