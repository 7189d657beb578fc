import Foundation

/// Whether a process is really running: `kill(pid, 0)` alone also succeeds
/// for a zombie that has exited but not been reaped, which would make a
/// server that was killed look alive to `hearth stack status` and to tests.
public enum ProcessLiveness {
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }
}
