import BlockingIO
import Logging
import Scenario
import Stack

/// Carries out a scenario's fault events on what the run started: the
/// embedded servers (restart the broker or Redis, stop PostgreSQL for a
/// while) and the in-process subscriber. Faults need the run to own what
/// they break, which ``check(_:stack:hostsSubscriber:)`` verifies before
/// anything starts.
struct FaultInjector: Sendable {
    let stack: EmbeddedStack?
    let subscriber: SubscriberHost?
    let logger: Logger
    let record: FaultRecord

    /// Refuses a scenario whose faults touch a server the run does not own.
    static func check(_ events: [ScenarioEvent], embedded: Set<StackService>, hostsSubscriber: Bool) throws(RunError) {
        for event in events {
            guard case .fault(let fault) = event.action else { continue }
            let needed: StackService?
            switch fault.kind {
            case .brokerRestart: needed = .mqtt
            case .redisRestart: needed = .redis
            case .postgresStop: needed = .postgres
            case .subscriberRestart:
                needed = nil
                if !hostsSubscriber {
                    throw RunError(.badInput, "fault \(fault.kind.rawValue) at \(event.at.scenarioText) restarts the in-process subscriber, but this run uses an external one; drop the fault or the --subscriber external flag")
                }
            }
            if let needed, !embedded.contains(needed) {
                throw RunError(.badInput, "fault \(fault.kind.rawValue) at \(event.at.scenarioText) needs hearth to run \(needed.rawValue) itself, but the run uses an external \(needed.rawValue); remove the fault or let that server be embedded")
            }
        }
    }

    /// Called by the publisher at the fault's time; the load goes on meanwhile.
    func inject(_ event: ScenarioEvent) async {
        guard case .fault(let fault) = event.action else { return }
        logger.notice("injecting fault", metadata: ["fault": "\(fault.kind.rawValue)", "at": "\(event.at.scenarioText)"])
        do {
            switch fault.kind {
            case .brokerRestart: try await restart(.mqtt, after: fault.duration)
            case .redisRestart: try await restart(.redis, after: fault.duration)
            case .postgresStop: try await restart(.postgres, after: fault.duration ?? .seconds(5))
            case .subscriberRestart: try await subscriber?.restart()
            }
            record.note("\(fault.kind.rawValue) at \(event.at.scenarioText): done")
        } catch {
            logger.error("fault injection failed", metadata: ["fault": "\(fault.kind.rawValue)", "error": "\(error)"])
            record.note("\(fault.kind.rawValue) at \(event.at.scenarioText): failed: \(error)")
        }
    }

    /// Stops a server, keeps it down for `downtime` (if any), starts it again.
    private func restart(_ service: StackService, after downtime: Duration?) async throws {
        if let downtime {
            await stack?.stop(service)
            try await Task.sleep(for: downtime)
        }
        try await stack?.restart(service)
    }
}

/// What the faults did, for the report and the log.
final class FaultRecord: Sendable {
    private let lock = BlockingIO.Mutex()
    private nonisolated(unsafe) var notes: [String] = []

    func note(_ line: String) { lock.withLock { notes.append(line) } }
    var lines: [String] { lock.withLock { notes } }
}
