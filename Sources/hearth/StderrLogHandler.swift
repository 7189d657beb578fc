import Logging

/// swift-log's `StreamLogHandler` on stderr, with the metadata kept as a
/// plain dictionary until a message is actually written.
///
/// `StreamLogHandler` formats its whole metadata into a string on every
/// change. Hummingbird gives each HTTP request a logger with its own
/// `hb.request.id`, so the API paid that formatting on every request
/// (about 1% of a `/houses/{id}/data` request's CPU in a `perf` profile),
/// although at the default notice level nothing of the request is written.
/// Here the wrapped handler only sees the metadata when a message passes the
/// level, so the output is exactly `StreamLogHandler`'s.
struct StderrLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = stream
        stream.metadata = metadata
        stream.log(event: event)
    }
}
