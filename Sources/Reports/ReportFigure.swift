/// One number of a report that `hearth report compare` puts side by side.
public struct ReportFigure: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        /// Latency, loss, evictions: a rise is a regression.
        case lowerIsBetter
        /// Throughput: a fall is a regression.
        case higherIsBetter
        /// Context only (messages sent, memory): never a regression.
        case neutral
    }

    /// Unique within a report, e.g. `latency end_to_end p99 (measured, all kinds)`.
    public var name: String
    public var unit: String
    public var value: Double
    public var direction: Direction
    /// Whether a gate can judge this figure: these decide the exit code.
    public var gateRelevant: Bool

    public init(name: String, unit: String, value: Double, direction: Direction, gateRelevant: Bool) {
        self.name = name
        self.unit = unit
        self.value = value
        self.direction = direction
        self.gateRelevant = gateRelevant
    }
}

extension RunReport {
    /// Every figure compare looks at, gate-relevant ones first.
    public var figures: [ReportFigure] {
        var figures: [ReportFigure] = []
        func add(_ name: String, _ unit: String, _ value: Double, _ direction: ReportFigure.Direction, gate: Bool) {
            figures.append(ReportFigure(name: name, unit: unit, value: value, direction: direction, gateRelevant: gate))
        }
        let unmeasured = Set(stages.filter { !$0.measured }.map(\.name))
        for record in latency where record.summary.count > 0 {
            // Gates judge end-to-end latency from the intended time, for all
            // kinds, over the measured stages (a warm-up is allowed to be slow).
            let gate = record.span == .endToEnd && record.kind == nil && !(record.stage.map(unmeasured.contains) ?? false)
            let scope = "(\(record.stage.map { "stage \($0)" } ?? "measured"), \(record.kind ?? "all kinds"))"
            for percentile in [LatencyPercentile.p50, .p99, .p999] {
                add("latency \(record.span.rawValue) \(percentile.label) \(scope)", "ms", record.summary.milliseconds(at: percentile), .lowerIsBetter, gate: gate)
            }
        }
        add("lost", "messages", Double(counts.lost), .lowerIsBetter, gate: true)
        add("loss", "fraction", counts.lossFraction, .lowerIsBetter, gate: true)
        add("duplicates", "messages", Double(counts.duplicates), .lowerIsBetter, gate: true)
        add("evictions", "keys", Double(counts.evictions), .lowerIsBetter, gate: true)
        add("throughput", "messages/s", measuredThroughput, .higherIsBetter, gate: true)
        for stage in stages where stage.measured {
            add("throughput (stage \(stage.name))", "messages/s", stage.throughput, .higherIsBetter, gate: true)
            add("lost (stage \(stage.name))", "messages", Double(stage.counts.lost), .lowerIsBetter, gate: true)
        }
        if let mqtt = alarms.toMQTT, mqtt.summary.count > 0 {
            add("alarm latency to MQTT p99", "ms", mqtt.summary.p99Ms, .lowerIsBetter, gate: true)
        }
        if let postgres = alarms.toPostgres, postgres.summary.count > 0 {
            add("alarm latency to PostgreSQL p99", "ms", postgres.summary.p99Ms, .lowerIsBetter, gate: true)
        }
        add("sent", "messages", Double(counts.sent), .neutral, gate: false)
        add("received", "messages", Double(counts.received), .neutral, gate: false)
        add("stored", "messages", Double(counts.stored), .neutral, gate: false)
        add("out of order", "messages", Double(counts.outOfOrder), .lowerIsBetter, gate: false)
        add("dead-lettered", "messages", Double(counts.deadLetteredTotal), .lowerIsBetter, gate: false)
        add("latest keys lost before TTL", "sensors", Double(lostLatestKeys.total), .lowerIsBetter, gate: false)
        if let peak = redis.map(\.usedMemory).max() {
            add("redis peak used_memory", "bytes", Double(peak), .neutral, gate: false)
        }
        for cost in fernet {
            add("fernet encrypt (\(cost.kind))", "µs", cost.encryptMicroseconds, .lowerIsBetter, gate: false)
            add("fernet decrypt (\(cost.kind))", "µs", cost.decryptMicroseconds, .lowerIsBetter, gate: false)
            add("fernet token size (\(cost.kind))", "bytes", cost.tokenBytes, .neutral, gate: false)
        }
        for process in processes {
            add("cpu mean (\(process.name))", "%", process.meanCPUPercent, .lowerIsBetter, gate: false)
            add("rss peak (\(process.name))", "bytes", Double(process.peakRSSBytes), .lowerIsBetter, gate: false)
        }
        return figures
    }
}
