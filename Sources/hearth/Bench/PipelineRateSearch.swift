import Logging

/// Finds the highest rate the whole pipeline sustains, by trials.
///
/// A rate is sustained when a trial at it loses nothing, keeps p99 latency
/// (from the intended send time) within the limit, and drains its backlog
/// right after the schedule ends (see ``PipelineTrial/Result/isSustained(p99Limit:)``).
/// The search climbs by a quarter from the start rate until a trial fails
/// (or falls by 30% until one passes), then bisects between the best pass
/// and the lowest failure until they are within 5%. On a shared machine one
/// stall of another process can sink a trial, so a rate fails only when two
/// trials at it fail in a row.
enum PipelineRateSearch {
    struct Outcome: Sendable {
        /// The highest sustained rate found, and its trial; nil if none passed.
        var best: PipelineTrial.Result?
        var trials: [PipelineTrial.Result]
    }

    static func maximumSustained(
        _ settings: PipelineTrial.Settings, start: Int, p99Limit: Int64, maximumTrials: Int, logger: Logger
    ) async throws -> Outcome {
        var passed: PipelineTrial.Result?
        var failedAt: Int?
        var trials: [PipelineTrial.Result] = []
        var rate = roundToThousand(start)
        var retried = false
        while trials.count < maximumTrials {
            let result = try await PipelineTrial.run(rate: rate, settings, logger: logger)
            trials.append(result)
            let sustained = result.isSustained(p99Limit: p99Limit)
            print("  qos\(settings.qos) \(sustained ? "sustained" : "NOT sustained") \(result.line)")
            if !sustained && !retried && trials.count < maximumTrials {
                retried = true
                continue
            }
            retried = false
            if sustained {
                if passed.map({ result.rate > $0.rate }) ?? true { passed = result }
            } else {
                failedAt = min(failedAt ?? rate, rate)
            }
            let next: Int
            switch (passed, failedAt) {
            case (nil, _): next = roundToThousand(Int(Double(rate) * 0.7))
            case (let best?, nil): next = roundToThousand(Int(best.rate * 1.25))
            case (let best?, let failure?): next = roundToThousand((Int(best.rate) + failure) / 2)
            }
            if let best = passed, let failure = failedAt, Double(failure - Int(best.rate)) <= best.rate * 0.05 { break }
            if next == rate || next < 1000 { break }
            rate = next
        }
        return Outcome(best: passed, trials: trials)
    }

    private static func roundToThousand(_ rate: Int) -> Int {
        max(1000, (rate + 500) / 1000 * 1000)
    }
}
