/// What `hearth stack status` reports for one server.
public struct ServiceStatus: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum State: String, Sendable, Codable {
        /// The process is alive and answers its protocol.
        case running
        /// The process is alive but does not answer.
        case notResponding = "not responding"
        /// The process has exited.
        case exited
        /// Not part of this stack.
        case notStarted = "not started"
    }

    public var service: StackService
    public var state: State
    public var url: String?
    public var pid: Int32?
    /// For `exited`: how, e.g. "killed by signal 9".
    public var detail: String?

    public var description: String {
        var line = "\(service.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(state.rawValue)"
        if let pid { line += "  pid \(pid)" }
        if let url { line += "  \(url)" }
        if let detail { line += "  (\(detail))" }
        return line
    }
}
