import Scenario
import SensorCatalog
import SensorKit

extension Estate {
    /// How many sensors report on the load's schedule: those whose kind
    /// reports periodically. On-change kinds (door contacts, motion) report
    /// when their plugin says something changed (``SendPlan``). A kind the
    /// catalogue lacks counts as scheduled; the run refuses it anyway.
    public func scheduledSensorCount(in catalog: SensorCatalog) -> Int {
        sensorCountByKind.reduce(0) { total, entry in
            total + (catalog.descriptor(for: entry.key)?.reporting.isPeriodic ?? true ? entry.value : 0)
        }
    }
}

extension Scenario {
    /// ``summary(scheduledSensors:)`` with the scheduled sensors counted in `catalog`.
    public func summary(in catalog: SensorCatalog) -> String {
        summary(scheduledSensors: estate.scheduledSensorCount(in: catalog))
    }
}
