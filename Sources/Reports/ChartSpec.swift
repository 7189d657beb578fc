import Foundation

/// One chart of `report.html` as data: the page's script draws it, and the
/// description is what screen readers and the caption say about it.
struct ChartSpec: Encodable, Equatable {
    enum Kind: String, Encodable {
        /// One polyline per series over `x`.
        case lines
        /// `cells[i][j]`: the count at `x[i]` in bucket `j` (upper bound `buckets[j]`).
        case heatmap
    }

    struct Series: Encodable, Equatable {
        var name: String
        var values: [Double]
    }

    /// A horizontal reference line, such as maxmemory.
    struct Limit: Encodable, Equatable {
        var name: String
        var value: Double
    }

    var id: String
    var title: String
    var description: String
    var kind: Kind
    /// Seconds since the run started.
    var x: [Double]
    var yLabel: String
    var series: [Series] = []
    var limit: Limit?
    var buckets: [Double] = []
    var cells: [[Double]] = []

    /// Every chart the report has data for, in reading order.
    static func charts(for report: RunReport) -> [ChartSpec] {
        [throughput(report), latency(report), memory(report), churn(report), ttl(report), cpu(report), rss(report)].compactMap { $0 }
    }

    static func json(_ charts: [ChartSpec]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "0", negativeInfinity: "0", nan: "0")
        let data = (try? encoder.encode(["charts": charts])) ?? Data(#"{"charts":[]}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func throughput(_ report: RunReport) -> ChartSpec? {
        let points = report.throughput
        guard !points.isEmpty else { return nil }
        let peak = points.map(\.stored).max() ?? 0
        return ChartSpec(
            id: "throughput", title: "Throughput",
            description: "messages per second sent, received and stored; stored peaks at \(Format.rate(Double(peak)))",
            kind: .lines, x: points.map(\.t), yLabel: "messages/s",
            series: [
                Series(name: "sent", values: points.map { Double($0.sent) }),
                Series(name: "received", values: points.map { Double($0.received) }),
                Series(name: "stored", values: points.map { Double($0.stored) }),
            ]
        )
    }

    private static func latency(_ report: RunReport) -> ChartSpec? {
        let points = report.latencyTimeline.filter { $0.count > 0 }
        guard !points.isEmpty else { return nil }
        let worst = points.map(\.p99Ms).max() ?? 0
        return ChartSpec(
            id: "latency", title: "End-to-end latency per second",
            description: "p50, p99 and p99.9 from the intended send time, in milliseconds; the worst second's p99 is \(Format.milliseconds(worst))",
            kind: .lines, x: points.map(\.t), yLabel: "ms",
            series: [
                Series(name: "p50", values: points.map(\.p50Ms)),
                Series(name: "p99", values: points.map(\.p99Ms)),
                Series(name: "p99.9", values: points.map(\.p999Ms)),
            ]
        )
    }

    private static func memory(_ report: RunReport) -> ChartSpec? {
        let samples = report.redis
        guard !samples.isEmpty else { return nil }
        let mib = 1024.0 * 1024.0
        let limit = samples.last.map { Double($0.maxMemory) } ?? 0
        let peak = Double(samples.map(\.usedMemory).max() ?? 0)
        let share = limit > 0 ? " (\(Format.percent(peak / limit)) of maxmemory \(Format.bytes(limit)))" : " (no maxmemory)"
        return ChartSpec(
            id: "memory", title: "Redis memory",
            description: "used_memory in MiB against the maxmemory limit; peak \(Format.bytes(peak))\(share)",
            kind: .lines, x: samples.map(\.t), yLabel: "MiB",
            series: [Series(name: "used_memory", values: samples.map { Double($0.usedMemory) / mib })],
            limit: limit > 0 ? Limit(name: "maxmemory", value: limit / mib) : nil
        )
    }

    private static func churn(_ report: RunReport) -> ChartSpec? {
        let samples = report.redis
        guard !samples.isEmpty else { return nil }
        let evicted = (samples.last?.evictedKeys ?? 0) - (samples.first?.evictedKeys ?? 0)
        let expired = (samples.last?.expiredKeys ?? 0) - (samples.first?.expiredKeys ?? 0)
        return ChartSpec(
            id: "churn", title: "Evictions and expiries",
            description: "keys evicted and expired per second; \(Format.count(evicted)) evicted and \(Format.count(expired)) expired during the run",
            kind: .lines, x: samples.map(\.t), yLabel: "keys/s",
            series: [
                Series(name: "evicted/s", values: samples.map(\.evictedPerSecond)),
                Series(name: "expired/s", values: samples.map(\.expiredPerSecond)),
            ]
        )
    }

    private static func ttl(_ report: RunReport) -> ChartSpec? {
        let ttl = report.ttl
        guard !ttl.samples.isEmpty, !ttl.bucketUpperBounds.isEmpty else { return nil }
        let missing = ttl.samples.reduce(0) { $0 + $1.missing }
        let sampled = ttl.samples.reduce(0) { $0 + $1.sampled }
        return ChartSpec(
            id: "ttl", title: "Remaining TTL of sampled latest keys",
            description: "darker cells hold more keys; \(Format.count(sampled)) keys sampled, \(Format.count(missing)) missing, TTL \(Format.seconds(ttl.ttlSeconds))",
            kind: .heatmap, x: ttl.samples.map(\.t), yLabel: "remaining TTL (s)",
            buckets: ttl.bucketUpperBounds,
            cells: ttl.samples.map { sample in sample.counts.map(Double.init) }
        )
    }

    private static func cpu(_ report: RunReport) -> ChartSpec? {
        processChart(report, id: "cpu", title: "CPU", unit: "% of one core", describe: { "mean \(Format.significant($0.meanCPUPercent))%" }) { $0.cpuPercent }
    }

    private static func rss(_ report: RunReport) -> ChartSpec? {
        processChart(report, id: "rss", title: "Resident memory", unit: "MiB", describe: { "peak \(Format.bytes(Double($0.peakRSSBytes)))" }) {
            Double($0.rssBytes) / (1024 * 1024)
        }
    }

    /// One series per process, on the union of their sample times.
    private static func processChart(_ report: RunReport, id: String, title: String, unit: String,
                                     describe: (ProcessSeries) -> String, value: (ProcessSample) -> Double) -> ChartSpec? {
        let processes = report.processes.filter { !$0.samples.isEmpty }
        guard !processes.isEmpty else { return nil }
        let times = Array(Set(processes.flatMap { $0.samples.map(\.t) })).sorted()
        let series = processes.map { process in
            let byTime = Dictionary(process.samples.map { ($0.t, value($0)) }, uniquingKeysWith: { _, last in last })
            return Series(name: process.name, values: times.map { byTime[$0] ?? 0 })
        }
        let text = processes.map { "\($0.name) \(describe($0))" }.joined(separator: ", ")
        return ChartSpec(id: id, title: title, description: "\(unit) per process: \(text)", kind: .lines, x: times, yLabel: unit, series: series)
    }
}
