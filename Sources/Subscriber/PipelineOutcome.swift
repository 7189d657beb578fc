import SensorKit

/// A reading that passed every check, by where it sits in its batch (the
/// token bytes stay in the batch's buffer; nothing is copied here).
struct AcceptedReading: Sendable {
    var messageIndex: Int
    var address: TopicAddress
    var kind: SensorKind
    var seq: UInt64
    var occurredAt: Timestamp
    var sentAt: Timestamp
    /// Higher than any earlier seq of the sensor: it becomes the latest value.
    var isLatest: Bool
}

/// What ``ReadingPipeline`` made of one batch; no I/O has happened yet.
struct PipelineOutcome: Sendable {
    /// Accepted readings in arrival order (latest ones and late ones).
    var accepted: [AcceptedReading] = []
    var transitions: [AlarmTransition] = []
    var deadLetters: [DeadLetterSample] = []
    /// Messages whose house, sensor or owner key was missing, or whose token
    /// no loaded key of the owner opens; judged again after the estate or the
    /// key folder is checked (their sequence state is untouched).
    var missed: [Int] = []
    /// Some of `missed` want a newer estate snapshot (an unknown house or sensor).
    var missedEstate = false
    /// Owners of `missed` whose key file may be new or rotated.
    var missedOwners: Set<Int> = []
    var outOfOrder = 0
    var sequenceRestarts = 0

    var latestCount: Int { accepted.reduce(0) { $0 + ($1.isLatest ? 1 : 0) } }

    mutating func merge(_ other: PipelineOutcome) {
        accepted += other.accepted
        transitions += other.transitions
        deadLetters += other.deadLetters
        missed += other.missed
        missedEstate = missedEstate || other.missedEstate
        missedOwners.formUnion(other.missedOwners)
        outOfOrder += other.outOfOrder
        sequenceRestarts += other.sequenceRestarts
    }
}
