import Foundation

/// The private folder one stack lives in: configs, logs, sockets and data.
/// Created with `mkdtemp`, removed whole when the stack stops.
struct RunDirectory: Sendable {
    let path: String

    static func create(parent: String?) throws -> RunDirectory {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/hearth-stack-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StackError(.runDirectory, "could not create a run directory in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        // The postgres user must be able to reach its data folder inside.
        chmod(path, 0o755)
        return RunDirectory(path: path)
    }

    /// A subfolder, created now, optionally owned by another user.
    func folder(_ name: String, owner: (uid: uid_t, gid: gid_t)? = nil, mode: mode_t = 0o755) throws -> String {
        let folder = path + "/" + name
        guard mkdir(folder, mode) == 0 || errno == EEXIST else {
            throw StackError(.runDirectory, "could not create \(folder): \(String(cString: strerror(errno)))")
        }
        if let owner, chown(folder, owner.uid, owner.gid) != 0 {
            throw StackError(.runDirectory, "could not hand \(folder) to uid \(owner.uid): \(String(cString: strerror(errno)))")
        }
        return folder
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ contents: String, to name: String) throws {
        do {
            try contents.write(toFile: file(name), atomically: true, encoding: .utf8)
        } catch {
            throw StackError(.runDirectory, "could not write \(file(name)): \(error)")
        }
    }

    /// The last `lines` lines of a log file, for error messages.
    func tail(_ name: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: file(name), encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
