/// A one-line account of a scenario, for `hearth scenario validate` and for
/// the header of a run: enough to notice a wrong order of magnitude.
extension Scenario {
    /// The summary as if every sensor reported on the schedule; callers that
    /// know the plugins use ``summary(scheduledSensors:)``.
    public var summary: String { summary(scheduledSensors: nil) }

    /// - Parameter scheduledSensors: how many of the estate's sensors report
    ///   on the load's schedule (periodic kinds). The others (door contacts,
    ///   motion) report when something changes, so the message count covers
    ///   the scheduled ones and names the rest: counting them at the
    ///   scheduled rate promised fire-alarm-demo "about 5,040 messages" for
    ///   a run that sends 3,608. Nil: all of them, for callers without the
    ///   plugin catalogue.
    public func summary(scheduledSensors: Int?) -> String {
        let scheduled = min(scheduledSensors ?? estate.sensorCount, estate.sensorCount)
        let schedule = RateSchedule(stages: load.stages, sensorCount: scheduled)
        let count = Int(schedule.totalCount.rounded())
        let peak = "(peak \(Self.perSecond(schedule.peakRate())))"
        let onChange = estate.sensorCount - scheduled
        let messages = onChange == 0
            ? "about \(Self.counted(count, "message")) \(peak)"
            : "about \(count.grouped) scheduled messages \(peak) plus what \(Self.counted(onChange, "on-change sensor")) \(onChange == 1 ? "reports" : "report")"
        var parts = [
            Self.counted(estate.houseCount, "house"),
            Self.counted(estate.ownerCount, "owner"),
            Self.counted(estate.sensorCount, "sensor"),
            "\(duration.scenarioText) in \(Self.counted(load.stages.count, "stage"))",
            messages,
            "\(load.transport.rawValue), QoS \(load.qos.rawValue)",
        ]
        if !events.isEmpty { parts.append(Self.counted(events.count, "event")) }
        parts.append(Self.counted(gates.count, "gate"))
        return "\(name): " + parts.joined(separator: ", ")
    }

    /// `20,000/s`, or `1.2/s` for small rates where the fraction matters.
    private static func perSecond(_ rate: Double) -> String {
        rate >= 100 ? "\(Int(rate.rounded()).grouped)/s" : "\(Rate.format((rate * 100).rounded() / 100))/s"
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count.grouped) \(noun)\(count == 1 ? "" : "s")"
    }
}
