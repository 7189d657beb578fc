import SensorKit

extension SendEngine {
    /// A reading made and encrypted, waiting to be handed to the sink.
    struct PendingSend {
        var token: [UInt8]
        var member: Int
        var seq: UInt64
        var intended: Int64
        var sentAt: Int64
        var scheduled: Bool
    }

    /// Readings are handed to the sink in runs of at most this many, and the
    /// sink writes each run in one go (`ReadingSink.runEnded`): publishing
    /// each reading as it was made woke libmosquitto's network thread once
    /// per message (see `MQTTNetworkLoop`), and hearth's own connection
    /// writes each run's QoS 0 publishes with one `write`. Bounded so that a batch of a
    /// thousand readings made while catching up does not hold the first one
    /// back for several milliseconds.
    static let deliveryRun = 64

    /// Hands every pending reading to `sink`, in the order they were made,
    /// ends the run, and counts each as sent or failed: refused by `send`, or
    /// reported by `runEnded` as not gone out after all.
    func deliverPending(to sink: some ReadingSink) {
        runAccepted.removeAll(keepingCapacity: true)
        for pending in pendingSends {
            let member = members[pending.member]
            runAccepted.append(sink.send(pending.token, house: member.houseID, sensor: member.sensorID, connection: Int(member.connection)))
        }
        for position in sink.runEnded() where position < runAccepted.count {
            runAccepted[position] = false
        }
        for (pending, accepted) in zip(pendingSends, runAccepted) {
            guard accepted else {
                stats.failed += 1
                continue
            }
            let member = members[pending.member]
            stats.sent += 1
            if pending.scheduled { stats.scheduledSent += 1 } else { stats.eventDrivenSent += 1 }
            let lateness = pending.sentAt - pending.intended
            stats.totalLatenessNanoseconds += lateness
            stats.maxLatenessNanoseconds = max(stats.maxLatenessNanoseconds, lateness)
            if keepsReadings {
                batch.append(SentReading(
                    sensorID: member.sensorID, houseID: member.houseID, seq: pending.seq,
                    intendedNanoseconds: pending.intended, sentNanoseconds: pending.sentAt, isScheduled: pending.scheduled
                ))
            }
        }
        pendingSends.removeAll(keepingCapacity: true)
    }
}
