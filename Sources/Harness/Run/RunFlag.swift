import BlockingIO

/// A one-way flag between tasks (the dashboard's server listening).
public final class RunFlag: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var raised = false

    public init() {}
    public func raise() { lock.withLock { raised = true } }
    public var isRaised: Bool { lock.withLock { raised } }
}
