/// Stage shapes as linear segments.
extension RateSchedule {
    /// The schedule of `stages` over an estate of `sensorCount` sensors.
    public init(stages: [Stage], sensorCount: Int) {
        var pieces: [(duration: Double, startRate: Double, endRate: Double, stage: Int)] = []
        var spans: [StageSpan] = []
        var time = 0.0
        for (index, stage) in stages.enumerated() {
            let length = stage.duration.secondsValue
            let total = { (rate: Rate) in rate.totalPerSecond(sensorCount: sensorCount) }
            switch stage.shape {
            case .warmUp(let to):
                pieces.append((length, 0, total(to), index))
            case .constant(let rate), .soak(let rate):
                pieces.append((length, total(rate), total(rate), index))
            case .ramp(let from, let to):
                pieces.append((length, total(from), total(to), index))
            case .step(let from, let to, let steps):
                let plateau = length / Double(steps)
                for step in 0..<steps {
                    let rate = steps > 1 ? total(from) + (total(to) - total(from)) * Double(step) / Double(steps - 1) : total(to)
                    pieces.append((plateau, rate, rate, index))
                }
            case .spike(let base, let peak, let peakStart, let peakDuration):
                let before = peakStart.secondsValue
                let during = peakDuration.secondsValue
                pieces.append((before, total(base), total(base), index))
                pieces.append((during, total(peak), total(peak), index))
                pieces.append((length - before - during, total(base), total(base), index))
            }
            spans.append(StageSpan(name: stage.name, start: time, end: time + length, measured: stage.measured))
            time += length
        }
        self.init(pieces: pieces, stages: spans)
    }
}
