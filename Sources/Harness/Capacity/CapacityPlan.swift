import Reports

/// What `hearth capacity` found: the measurements, the predictions and, with
/// `--verify`, the check of the prediction against Redis itself.
public struct CapacityPlan: Codable, Sendable, Equatable {
    public var scenario: String
    public var redisVersion: String
    public var maxMemory: Int
    public var policy: String
    public var ttlSeconds: Int
    public var sensors: Int
    public var houses: Int
    public var kinds: [KindCost]
    /// `used_memory` with no keys, fitted; and as read after FLUSHALL.
    public var baselineBytes: Double
    public var emptyUsedMemory: Int
    /// Bytes per key that `MEMORY USAGE` leaves out (the expires dict's entry, allocator rounding).
    public var perKeyOverheadBytes: Double
    /// The estate's keys' mean cost, slot arrays excluded.
    public var meanBytesPerSensor: Double
    public var calibrationPoints: [CalibrationPoint]
    public var streamEntryBytes: Double?
    public var streamMaxLength: Int?
    /// History goes to PostgreSQL and costs Redis nothing; said so in the text.
    public var history: Bool
    /// Used memory with every sensor's latest key (and the stream, full).
    public var estateMemoryBytes: Double
    /// nil: the whole estate fits.
    public var sensorsThatFit: Int?
    /// Keys held when the limit is first crossed, filling in sensor order
    /// (past the estate if it fits): what `--verify` checks.
    public var evictionOnsetInFillOrder: Int?
    public var timeline = Timeline(scenarioSeconds: 0, secondsToLimit: nil, peakMemoryBytes: 0, peakAtSeconds: 0)
    public var steadyState = SteadyState(ratePerSecond: 0, keys: 0, memoryBytes: 0, fits: true)
    public var verification: CapacityVerification?

    public struct KindCost: Codable, Sendable, Equatable {
        public var kind: String
        public var plaintextBytes: Int
        public var tokenBytes: Int
        /// For the estate's longest key.
        public var memoryUsageBytes: Int
        public var bytesPerKey: Double
    }

    public struct CalibrationPoint: Codable, Sendable, Equatable {
        public var keys: Int
        public var usedMemory: Int
    }

    public struct Timeline: Codable, Sendable, Equatable {
        public var scenarioSeconds: Double
        /// When the scenario's traffic first takes Redis over maxmemory; nil if never.
        public var secondsToLimit: Double?
        public var peakMemoryBytes: Double
        public var peakAtSeconds: Double
    }

    public struct SteadyState: Codable, Sendable, Equatable {
        public var ratePerSecond: Double
        /// Latest keys alive: sensors that report within a TTL.
        public var keys: Int
        public var memoryBytes: Double
        public var fits: Bool
    }

    /// Whether the estate fits under maxmemory, stream included.
    public var estateFits: Bool { sensorsThatFit == nil }

    /// The report for the terminal.
    public var rendered: String {
        var lines = ["capacity of \(scenario): Redis \(redisVersion), maxmemory \(maxMemory > 0 ? Format.bytes(Double(maxMemory)) : "unlimited") (\(policy)), latest keys EX \(ttlSeconds)s"]
        lines.append("estate: \(Format.count(houses)) houses, \(Format.count(sensors)) sensors")
        lines.append("measured:")
        for kind in kinds {
            lines.append("  \(kind.kind): payload \(kind.plaintextBytes) B → token \(kind.tokenBytes) B; MEMORY USAGE \(kind.memoryUsageBytes) B, \(Format.significant(kind.bytesPerKey)) B per key in all")
        }
        lines.append("  per key beyond MEMORY USAGE: \(Format.significant(perKeyOverheadBytes)) B; baseline \(Format.bytes(baselineBytes)) (empty Redis: \(Format.bytes(Double(emptyUsedMemory))))")
        lines.append("  plus 16 B per hash-table slot (keyspace + expires), slots doubling at powers of two")
        if let streamEntryBytes, let streamMaxLength {
            lines.append("  stream entry: \(Format.significant(streamEntryBytes)) B; MAXLEN ~\(Format.count(streamMaxLength)) holds \(Format.bytes(streamEntryBytes * Double(streamMaxLength)))")
        }
        if history { lines.append("  history goes to PostgreSQL and takes no Redis memory") }
        lines.append("prediction:")
        lines.append("  every sensor's latest key: \(Format.bytes(estateMemoryBytes))" + (maxMemory > 0 ? " (\(Format.percent(estateMemoryBytes / Double(maxMemory))) of maxmemory)" : ""))
        if let sensorsThatFit {
            let perHouse = Double(sensors) / Double(max(1, houses))
            lines.append("  fits \(Format.count(sensorsThatFit)) of \(Format.count(sensors)) sensors (about \(Format.count(Int(Double(sensorsThatFit) / perHouse))) houses) before eviction starts")
        } else {
            lines.append("  the whole estate fits; eviction would start at \(evictionOnsetInFillOrder.map(Format.count) ?? "more than the keys tried") keys of this mix")
        }
        if let seconds = timeline.secondsToLimit {
            lines.append("  at the scenario's rates the limit is reached \(Format.seconds(seconds)) into the run")
        } else {
            lines.append("  at the scenario's rates the limit is not reached in its \(Format.seconds(timeline.scenarioSeconds)) (peak \(Format.bytes(timeline.peakMemoryBytes)) at \(Format.seconds(timeline.peakAtSeconds)))")
        }
        let steady = "  steady state at \(Format.rate(steadyState.ratePerSecond)) under the TTL: \(Format.count(steadyState.keys)) keys, \(Format.bytes(steadyState.memoryBytes))"
        lines.append(steady + (steadyState.fits ? ", fits" : ", does NOT fit: Redis keeps evicting latest values"))
        if let verification {
            lines.append("verification (filled to the limit in \(Format.seconds(verification.seconds))):")
            lines.append("  eviction onset predicted \(verification.predictedOnset.map(Format.count) ?? "none") keys, observed \(verification.observedOnset.map(Format.count) ?? "none") keys"
                + (verification.relativeError.map { " (\($0 >= 0 ? "+" : "")\(Format.percent($0)))" } ?? ""))
            lines.append("  used_memory at onset \(Format.bytes(Double(verification.usedMemoryAtOnset))); " + (verification.isWithinTolerance ? "within 5%" : "NOT within 5%"))
        }
        return lines.joined(separator: "\n")
    }
}
