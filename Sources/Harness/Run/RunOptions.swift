import Publisher

/// How `hearth run` runs a scenario, beyond what the scenario says.
public struct RunOptions: Sendable {
    public enum SubscriberMode: String, Sendable, CaseIterable {
        /// The run hosts the subscriber and times every stored reading.
        case inProcess = "in-process"
        /// A subscriber someone else runs (`hearth subscribe`, a container)
        /// stores the readings; the run listens to them with a ``ReadingTap``.
        case external
    }

    /// Where the scenario was read from, for gate locations and the report.
    public var scenarioFile: String?
    /// Override the scenario's `stack:` endpoints; nil keeps the scenario's
    /// choice (embedded unless it names a URL).
    public var mqttURL: String?
    public var redisURL: String?
    public var postgresURL: String?
    /// Owner keys; nil: a private folder of the run, removed at the end.
    /// Give one shared with an external subscriber.
    public var keysDirectory: String?
    public var subscriber: SubscriberMode = .inProcess
    /// Run this long instead of the scenario's length.
    public var duration: Duration?
    public var workers = PublisherOptions.defaultWorkers
    /// Reports go here instead of the scenario's `outputs.directory`.
    public var outputDirectory: String?
    /// After the schedule ends, how long to wait for readings still in flight
    /// before counting the rest as lost.
    public var drainTimeout: Duration = .seconds(30)
    /// This process sends only its share of the houses (`--shard i/n`);
    /// needs an external subscriber, which stores every shard's readings.
    public var shard: LoadShard?
    /// hearth's own version, for the report.
    public var hearthVersion: String?

    public init() {}
}
