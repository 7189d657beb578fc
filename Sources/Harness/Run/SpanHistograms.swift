import Reports

/// Latency histograms per span, stage and kind, in one flat array indexed
/// by small integers: what the run's observers record into on the hot path
/// (no string hashing, no dictionary), handed to a ``LatencyRecorder`` at
/// the end for the report's totals.
struct SpanHistograms: Sendable {
    private static let spans = LatencySpan.allCases
    let stageCount: Int
    let kindCount: Int
    /// Created on first use: most (span, stage, kind) cells of a run stay empty.
    private var cells: [LatencyHistogram?]

    init(stages: Int, kinds: Int) {
        stageCount = max(1, stages)
        kindCount = max(1, kinds)
        cells = Array(repeating: nil, count: Self.spans.count * stageCount * kindCount)
    }

    private func index(_ span: LatencySpan, stage: Int, kind: Int) -> Int {
        let spanIndex = Self.spans.firstIndex(of: span)!
        return (spanIndex * stageCount + min(stage, stageCount - 1)) * kindCount + min(kind, kindCount - 1)
    }

    mutating func record(_ span: LatencySpan, stage: Int, kind: Int, nanoseconds: Int64) {
        let cell = index(span, stage: stage, kind: kind)
        if cells[cell] == nil { cells[cell] = .latency() }
        cells[cell]!.recordLatency(nanoseconds: nanoseconds)
    }

    /// Adds every cell to `recorder` under the timeline's stage and kind names.
    func add(to recorder: inout LatencyRecorder, timeline: RunTimeline) {
        for span in Self.spans {
            for stage in 0 ..< stageCount {
                let stageInfo = stage < timeline.stages.count ? timeline.stages[stage] : nil
                for kind in 0 ..< kindCount {
                    guard let histogram = cells[index(span, stage: stage, kind: kind)] else { continue }
                    recorder.add(
                        span, histogram: histogram, stage: stageInfo?.name ?? "run", kind: timeline.kinds[kind].rawValue,
                        measured: stageInfo?.measured ?? true
                    )
                }
            }
        }
    }
}
