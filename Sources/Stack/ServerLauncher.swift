#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one server program is prepared, started, probed and stopped.
///
/// Each of the three servers differs only in these few facts, so the
/// orchestration in `EmbeddedStack` is written once.
protocol ServerLauncher: Sendable {
    var service: StackService { get }
    /// The log file (inside the run directory) that the server's stdout and stderr go to.
    var logName: String { get }
    /// The signal that shuts the server down quickly but cleanly.
    var stopSignal: Int32 { get }
    /// One-time work before the first launch: config files, data folders.
    func prepare(in run: RunDirectory) async throws
    /// The program and its arguments for a server on `port`.
    func command(port: Int, in run: RunDirectory) -> (executable: String, arguments: [String])
    /// The user to run the server as when hearth runs as root (nil: stay root).
    /// Starting it as that user, rather than letting the server drop privileges
    /// itself, keeps the parent-death signal: the kernel clears it whenever a
    /// process changes its credentials.
    var serverUser: String? { get }
    func url(port: Int, in run: RunDirectory) -> String
}

extension ServerLauncher {
    var stopSignal: Int32 { SIGTERM }
    var logName: String { "\(service.rawValue).log" }
    var serverUser: String? { nil }
}
