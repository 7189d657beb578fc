#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlockingIO

/// A server started with `posix_spawn`, in its own process group.
///
/// Not Foundation's `Process`: we need the child in its own process group (so
/// that a Ctrl-C in the terminal reaches hearth only, and hearth stops the
/// servers in order, flushing what they hold), all three standard streams
/// redirected (so no server holds the caller's pipe open after we exit), and
/// direct `waitpid` so that `status` sees a `kill -9` at once.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let executable: String
    private var exitStatus: Int32?
    private let lock = Mutex()

    /// Starts `argv[0]` with `arguments`, stdin from /dev/null and stdout and
    /// stderr appended to `logFile`.
    init(executable: String, arguments: [String], logFile: String) throws {
        self.executable = executable
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        Self.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // Children must not inherit signals we block (the CLI blocks SIGINT and SIGTERM
        // to receive them through ServiceLifecycle) nor our ignored SIGPIPE.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else {
            throw StackError(.serverFailedToStart, "could not start \(executable): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
    }

    /// True while the process has not exited. Reaps it if it has.
    var isRunning: Bool {
        lock.withLock {
            if exitStatus != nil { return false }
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid || (rc == -1 && errno == ECHILD) {
                exitStatus = status
                return false
            }
            return true
        }
    }

    /// True once the process has exited with status 0.
    var exitedSuccessfully: Bool {
        guard !isRunning, let status = lock.withLock({ exitStatus }) else { return false }
        return status & 0x7f == 0 && (status >> 8) & 0xff == 0
    }

    /// A human description of how it ended, e.g. "killed by signal 9".
    var exitDescription: String {
        guard !isRunning, let status = lock.withLock({ exitStatus }) else { return "running" }
        let signal = status & 0x7f
        if signal != 0 { return "killed by signal \(signal)" }
        return "exited with status \((status >> 8) & 0xff)"
    }

    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Sends `signal`, waits up to `grace` seconds, then SIGKILLs. Always reaps.
    func stop(signal: Int32 = SIGTERM, grace: Double = 10) async {
        guard isRunning else { return }
        kill(pid, signal)
        let deadline = monotonicSeconds() + grace
        while isRunning {
            if monotonicSeconds() > deadline {
                kill(pid, SIGKILL)
                while isRunning { try? await Task.sleep(nanoseconds: 2_000_000) }
                return
            }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }
}

extension ChildProcess {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up
    /// at run time because Swift's Glibc module is built without `_GNU_SOURCE`.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Closes every descriptor above stderr in the child.
    ///
    /// Why: without it a server inherits every socket and pipe its parent
    /// holds without close-on-exec (libmosquitto's and hiredis's sockets,
    /// other children's pipes). A connection the parent closes then stays
    /// open in the server, so the far end never sees it end, and a pipe's
    /// reader waits for an end of file that comes only when the server exits.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        _ = addCloseFrom?(&actions, 3)
    }

    /// Waits, without blocking a thread, until the process exits.
    func waitForExit() async {
        while isRunning { try? await Task.sleep(nanoseconds: 2_000_000) }
    }
}
