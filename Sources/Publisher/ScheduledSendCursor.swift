import Scenario

/// Walks one worker's share of the schedule in send order.
///
/// The worker owns some scheduled indices (`members`, ascending). Send n
/// belongs to scheduled index `n mod period`, so the worker's sends are
/// `round·period + members[position]` for round = 0, 1, 2, … — already in
/// increasing n, and hence in increasing intended time, without looking at
/// any other worker's sends.
struct ScheduledSendCursor: Sendable {
    /// The next send of this worker, if the run has one.
    struct Send: Equatable, Sendable {
        /// The run's send number.
        var number: Int
        /// Index into the worker's members (its scheduled sensors).
        var member: Int
        /// The sensor's `seq` for this send: the round.
        var round: Int
        /// Nanoseconds from the start of the run at which it is due.
        var intendedOffset: Int64
    }

    let schedule: RateSchedule
    /// Scheduled sensors in the whole estate.
    let period: Int
    /// This worker's scheduled indices, ascending.
    let members: [Int]
    /// Sends due at or after this offset (nanoseconds) are not made.
    let endOffset: Int64
    private(set) var next: Send?

    init(schedule: RateSchedule, period: Int, members: [Int], endOffset: Int64) {
        precondition(members.allSatisfy { $0 >= 0 && $0 < period }, "a member outside the schedule's period")
        self.schedule = schedule
        self.period = period
        self.members = members
        self.endOffset = endOffset
        next = members.isEmpty ? nil : Self.send(round: 0, member: 0, members: members, period: period, schedule: schedule, endOffset: endOffset)
    }

    /// Moves to the worker's following send (nil once the run has no more).
    mutating func advance() {
        guard let current = next else { return }
        var member = current.member + 1
        var round = current.round
        if member == members.count {
            member = 0
            round += 1
        }
        next = Self.send(round: round, member: member, members: members, period: period, schedule: schedule, endOffset: endOffset)
    }

    private static func send(round: Int, member: Int, members: [Int], period: Int, schedule: RateSchedule, endOffset: Int64) -> Send? {
        let (product, overflow) = round.multipliedReportingOverflow(by: period)
        guard !overflow else { return nil }
        let number = product + members[member]
        guard let offset = SendPlan.offset(ofSend: number, in: schedule), offset < endOffset else { return nil }
        return Send(number: number, member: member, round: round, intendedOffset: offset)
    }
}
