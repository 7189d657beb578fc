/// One of n load generators that split an estate between them
/// (`hearth run --shard i/n`, i from 0 to n - 1, as Kubernetes numbers the
/// pods of an indexed Job with `$JOB_COMPLETION_INDEX`): shard i sends for
/// the houses whose id leaves remainder i when id - 1 is divided by n, so
/// neighbouring houses spread evenly and each shard carries about 1/n of the
/// rate. Sharding is by house because a house's sensors share an owner key
/// and an MQTT connection.
public struct LoadShard: Sendable, Equatable, CustomStringConvertible {
    /// 0 … count - 1.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(PublisherError) {
        guard count >= 1, (0 ..< count).contains(index) else {
            throw PublisherError(.badConfiguration, "shard \(index)/\(count) does not exist; write i/n with 0 ≤ i < n, like 0/4 for the first of four")
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/n`, as `--shard` takes it.
    public init(text: String) throws(PublisherError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw PublisherError(.badConfiguration, "'\(text)' is not a shard; write i/n with 0 ≤ i < n, like 1/4 (the second of four)")
        }
        try self.init(index: index, count: count)
    }

    public func contains(house: Int) -> Bool {
        (house - 1) % count == index
    }

    public var description: String { "\(index)/\(count)" }
}
