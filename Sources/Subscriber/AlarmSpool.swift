#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The alarm transitions not yet confirmed in PostgreSQL, on disk: an
/// append-only file of JSON lines (``AlarmTransition/json``), `fsync`ed after
/// every append, emptied once everything in it is in the database.
///
/// Transitions go here first and to PostgreSQL second (write-ahead), so an
/// alarm survives a database outage, a crash and a SIGKILL alike; replaying
/// the file is harmless because the `alarms` table's unique key turns a
/// repeat into a no-op. A torn last line (a crash mid-write) is skipped when
/// read. Plain system calls, not Foundation: the guarantee is the `fsync`.
/// Blocking, so only ``AlarmSink``, on its own thread, calls it.
final class AlarmSpool {
    let path: String
    private var descriptor: Int32
    /// Lines in the file (counted when opened, then kept up to date).
    private(set) var count: Int

    /// Opens (creating if needed, mode 0600) `alarm-spool.jsonl` in `directory`.
    init(directory: String) throws {
        try Self.makeDirectory(directory)
        path = directory.hasSuffix("/") ? directory + "alarm-spool.jsonl" : directory + "/alarm-spool.jsonl"
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpoolError("cannot open the alarm spool \(path)", errno: errno) }
        count = 0
        count = try readAll().count
    }

    deinit { close(descriptor) }

    /// Appends the transitions and returns once they are on disk.
    func append(_ transitions: [AlarmTransition]) throws {
        guard !transitions.isEmpty else { return }
        var bytes: [UInt8] = []
        for transition in transitions {
            bytes += transition.json
            bytes.append(UInt8(ascii: "\n"))
        }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SpoolError("cannot write the alarm spool \(path)", errno: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw SpoolError("cannot fsync the alarm spool \(path)", errno: errno) }
        count += transitions.count
    }

    /// Every complete transition in the file, oldest first.
    func readAll() throws -> [AlarmTransition] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var offset: off_t = 0
        while true {
            let got = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SpoolError("cannot read the alarm spool \(path)", errno: errno)
            }
            if got == 0 { break }
            contents += chunk[..<got]
            offset += off_t(got)
        }
        return contents.split(separator: UInt8(ascii: "\n")).compactMap { AlarmTransition(json: $0) }
    }

    /// Empties the file once its transitions are all in PostgreSQL.
    func clear() throws {
        guard ftruncate(descriptor, 0) == 0, fsync(descriptor) == 0 else {
            throw SpoolError("cannot empty the alarm spool \(path)", errno: errno)
        }
        count = 0
    }

    /// `mkdir -p`, mode 0700: the folder may hold alarm data of many houses.
    private static func makeDirectory(_ directory: String) throws {
        var path = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            path += (path.isEmpty || path.hasSuffix("/") ? "" : "/") + component
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw SpoolError("cannot create the state folder \(path)", errno: errno)
            }
        }
    }
}

/// The spool file could not be used: the message names the file and the system's reason.
struct SpoolError: Error, CustomStringConvertible {
    var description: String

    init(_ message: String, errno code: Int32) {
        description = "\(message): \(String(cString: strerror(code)))"
    }
}
