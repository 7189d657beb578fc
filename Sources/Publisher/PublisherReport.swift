import Scenario

/// What a finished run did: the counters, how long sending took, and whether
/// the broker took everything before the connections closed.
public struct PublisherReport: Sendable, Equatable {
    public var stats: PublisherStats
    /// From the start of the schedule to the last batch.
    public var elapsedNanoseconds: Int64
    /// Sends the schedule asked for over the run.
    public var plannedScheduledSends: Int
    /// Whether ``Publisher/stop()`` ended the run before the schedule did.
    public var stoppedEarly: Bool
    /// Whether the broker acknowledged everything before disconnecting (see
    /// ``PublisherOptions/drainTimeout``).
    public var drained: Bool
    public var workers: Int
    public var connections: Int
    public var transport: Transport
    public var qos: QoS

    public var elapsedSeconds: Double { Double(elapsedNanoseconds) / 1e9 }

    /// Readings accepted per second of sending.
    public var sendRate: Double { elapsedSeconds > 0 ? Double(stats.sent) / elapsedSeconds : 0 }

    /// Scheduled sends not made: only nonzero when stopped early (the
    /// publisher never skips a send because it is behind).
    public var unsentScheduled: Int { max(0, plannedScheduledSends - stats.scheduledSent - stats.failed - stats.silent - stats.invalid - stats.encryptionFailures) }

    /// A few lines for people: what was sent, how fast, how late.
    public var summary: String {
        let s = stats
        var lines = [
            "sent \(s.sent) readings in \(format(elapsedSeconds)) s (\(Int(sendRate.rounded()))/s) over \(transport.rawValue), QoS \(qos.rawValue), "
                + "\(connections) MQTT connection\(connections == 1 ? "" : "s"), \(workers) worker\(workers == 1 ? "" : "s")",
            "  scheduled \(s.scheduledSent) of \(plannedScheduledSends) planned, event-driven \(s.eventDrivenSent)"
                + (stoppedEarly ? ", stopped early (\(unsentScheduled) scheduled sends not made)" : ""),
            "  lag: at most \(milliseconds(s.maxLagNanoseconds)) ms behind schedule (\(s.maxBacklog) sends waiting); "
                + "readings went out \(milliseconds(Int64(s.meanLatenessNanoseconds))) ms after their intended time on average, "
                + "\(milliseconds(s.maxLatenessNanoseconds)) ms at most",
        ]
        var problems: [String] = []
        if s.failed > 0 { problems.append("\(s.failed) refused by the transport (\(s.mqttFailed) MQTT)") }
        if s.streamFailed > 0 { problems.append("\(s.streamFailed) stream writes failed") }
        if s.invalid > 0 { problems.append("\(s.invalid) invalid readings not sent") }
        if s.silent > 0 { problems.append("\(s.silent) scheduled slots with nothing to report") }
        if s.encryptionFailures > 0 { problems.append("\(s.encryptionFailures) encryption failures") }
        if s.eventFailures > 0 { problems.append("\(s.eventFailures) sensor events refused") }
        if !drained { problems.append("the broker had not acknowledged everything when the connections closed") }
        if transport.usesRedisStream { lines.append("  stream: \(s.streamAdded) entries added to \(ReadingStream.name)") }
        if s.eventApplications > 0 { lines.append("  sensor events applied to \(s.eventApplications) sensors") }
        lines.append(problems.isEmpty ? "  no failures" : "  problems: " + problems.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    private func milliseconds(_ nanoseconds: Int64) -> String { format(Double(nanoseconds) / 1e6) }

    private func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
