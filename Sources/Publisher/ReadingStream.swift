/// The Redis Stream readings travel on when a scenario's transport is
/// `redis-stream` or `both`: one entry per reading, `XADD hearth:readings
/// MAXLEN ~ N * topic <houses/{h}/sensors/{s}> token <Fernet token>`, read by
/// the subscriber's consumer group.
///
/// The stream is trimmed approximately to its newest N entries on every add,
/// so its memory stays bounded however long a run lasts; a reader that falls
/// more than N entries behind loses the oldest, and the loss shows up by `seq`.
public enum ReadingStream {
    public static let name = "hearth:readings"
    /// The field holding the MQTT topic the reading would have had.
    public static let topicField = "topic"
    /// The field holding the Fernet token.
    public static let tokenField = "token"
    /// About 300 bytes of token per entry: 100,000 entries stay near 40 MB,
    /// well inside the default 256 MB maxmemory.
    public static let defaultMaxLength = 100_000
}
