/// A one-line account of a scenario, for `hearth scenario validate` and for
/// the header of a run: enough to notice a wrong order of magnitude.
extension Scenario {
    public var summary: String {
        let schedule = rateSchedule
        var parts = [
            Self.counted(estate.houseCount, "house"),
            Self.counted(estate.ownerCount, "owner"),
            Self.counted(estate.sensorCount, "sensor"),
            "\(duration.scenarioText) in \(Self.counted(load.stages.count, "stage"))",
            "about \(Self.counted(Int(schedule.totalCount.rounded()), "message")) (peak \(Self.perSecond(schedule.peakRate())))",
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
