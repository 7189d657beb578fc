import Publisher
import Reports

/// Turns the run's measurements into a ``RunProgress`` once a second and
/// hands it to the run's progress hook (the terminal line, the dashboard).
final class RunProgressTicker: Sendable {
    private let run: ScenarioRun
    private let plan: SendPlan
    private let measurements: RunMeasurements
    private let observer: RunObserver
    private let alarms: AlarmWatcher

    init(run: ScenarioRun, plan: SendPlan, measurements: RunMeasurements, observer: RunObserver, alarms: AlarmWatcher) {
        self.run = run
        self.plan = plan
        self.measurements = measurements
        self.observer = observer
        self.alarms = alarms
    }

    func run() async {
        guard let hook = run.hooks.progress else { return }
        var previous: (sent: Int, at: ContinuousClock.Instant)?
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            let now = ContinuousClock.now
            let live = measurements.live
            var rate = 0.0
            if let previous {
                let seconds = Double((now - previous.at).components.attoseconds) / 1e18 + Double((now - previous.at).components.seconds)
                if seconds > 0 { rate = Double(live.sent - previous.sent) / seconds }
            }
            previous = (live.sent, now)
            hook(await snapshot(live: live, rate: rate, finished: false))
        }
    }

    func snapshot(finished: Bool) async -> RunProgress {
        await snapshot(live: measurements.live, rate: 0, finished: finished)
    }

    private func snapshot(live: RunMeasurements.LiveFigures, rate: Double, finished: Bool) async -> RunProgress {
        let start = measurements.runStartWallNanoseconds
        let elapsed = start.map { Double(SystemPublisherClock().wallNanoseconds() - $0) / 1e9 } ?? 0
        let timeline = measurements.timeline
        let stage = timeline.stages.isEmpty ? "run" : timeline.stages[timeline.stage(atOffset: Int64(elapsed * 1e9))].name
        let redis = await observer.latestRedisSample
        let evicted = await observer.evictionsSoFar
        return RunProgress(
            scenario: run.scenario.name, stage: finished ? "done" : stage, elapsedSeconds: elapsed,
            remainingSeconds: max(0, plan.runDuration - elapsed), sentPerSecond: rate,
            targetPerSecond: finished ? 0 : plan.schedule.rate(at: elapsed), p99Milliseconds: live.p99Milliseconds,
            redisUsedBytes: redis?.usedMemory ?? 0, redisMaxBytes: redis?.maxMemory ?? 0, evictedKeys: evicted,
            outstandingReadings: max(0, live.sent - live.stored), alarms: alarms.count,
            maxLagMilliseconds: Double(live.maxPublisherLagNanoseconds) / 1e6, finished: finished
        )
    }
}
