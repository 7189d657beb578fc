import Scenario
import SensorKit

/// A sensor event of the scenario, placed on the run's timeline.
struct PlannedSensorEvent: Sendable {
    /// Nanoseconds from the start of the run.
    var offset: Int64
    var event: ScenarioEvent
    var trigger: SensorTrigger
}

extension SendEngine {
    /// Applies a scenario event to every sensor of this worker it names, at
    /// the event's simulated time (the plugin advances to it first). An
    /// event-driven sensor is then polled at its new due time, so a door
    /// opened by the scenario reports the change as soon as it settles.
    func apply(_ planned: PlannedSensorEvent) {
        let trigger = planned.trigger
        let event = SensorEvent(name: trigger.name, parameters: trigger.parameters)
        let time = Timestamp(nanosecondsSinceEpoch: wallStart + planned.offset)
        var applied = 0
        for sensor in members.indices where members[sensor].kind == trigger.kind && trigger.houses.contains(members[sensor].houseID) {
            let member = members[sensor]
            do {
                try groups[Int(member.group)].apply(event, to: Int(member.local), at: time)
            } catch {
                stats.eventFailures += 1
                if eventFailuresLogged.insert("\(trigger.kind)/\(trigger.name)").inserted {
                    logger.warning("the \(trigger.kind) plugin refused event \(trigger.name): \(error.message)", metadata: ["code": "\(error.code.rawValue)"])
                }
                continue
            }
            applied += 1
            if !member.isScheduled { reschedule(sensor, notBefore: planned.offset) }
        }
        stats.eventApplications += applied
        appliedEvents.append((planned.event, applied))
    }
}
