#if canImport(Glibc)
import Glibc
#endif
import BlockingIO
import Reports

/// A process the observer watches: the harness itself, or a server.
public struct ObservedProcess: Sendable, Equatable {
    /// `harness`, `redis`, `mqtt`, `postgres`.
    public var name: String
    public var pid: Int32
    /// Count the process's children too. PostgreSQL does its work in one
    /// forked backend per connection, so its postmaster alone shows almost
    /// nothing; the harness must not count its children, which are the
    /// servers themselves.
    public var includeDescendants: Bool

    public init(name: String, pid: Int32, includeDescendants: Bool = false) {
        self.name = name
        self.pid = pid
        self.includeDescendants = includeDescendants
    }
}

/// CPU and resident memory from /proc (Linux): `utime + stime` (plus the
/// children's reaped time when descendants count) and `rss` from
/// `/proc/PID/stat`, turned into percent of one core between two samples.
struct ProcessSampler {
    struct Reading {
        var cpuTicks: UInt64
        var rssBytes: Int
    }

    let processes: [ObservedProcess]
    private var previous: [Int32: (ticks: UInt64, at: ContinuousClock.Instant)] = [:]
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init(processes: [ObservedProcess]) {
        self.processes = processes
    }

    /// One sample of each process that is still alive; the first sample of a
    /// process reports 0 % (there is no interval yet).
    mutating func sample(t: Double, at now: ContinuousClock.Instant = .now) -> [(process: ObservedProcess, sample: ProcessSample)] {
        let table = processes.contains(where: \.includeDescendants) ? Self.processTable() : [:]
        var samples: [(ObservedProcess, ProcessSample)] = []
        for process in processes {
            guard let reading = reading(of: process, table: table) else { continue }
            var cpu = 0.0
            if let last = previous[process.pid] {
                let seconds = Double((now - last.at).totalNanoseconds) / 1e9
                let ticks = reading.cpuTicks >= last.ticks ? reading.cpuTicks - last.ticks : 0
                if seconds > 0 { cpu = Double(ticks) / ticksPerSecond / seconds * 100 }
            }
            previous[process.pid] = (reading.cpuTicks, now)
            samples.append((process, ProcessSample(t: t, cpuPercent: cpu, rssBytes: reading.rssBytes)))
        }
        return samples
    }

    private func reading(of process: ObservedProcess, table: [Int32: Stat]) -> Reading? {
        guard let root = Self.stat(of: process.pid) else { return nil }
        guard process.includeDescendants else {
            return Reading(cpuTicks: root.ownTicks, rssBytes: root.rssPages * pageSize)
        }
        var ticks = root.ownTicks + root.childTicks
        var pages = root.rssPages
        var children: [Int32: [Int32]] = [:]
        for (pid, stat) in table { children[stat.parent, default: []].append(pid) }
        var queue = children[process.pid] ?? []
        while let pid = queue.popLast() {
            guard let stat = table[pid] else { continue }
            ticks += stat.ownTicks + stat.childTicks
            pages += stat.rssPages
            queue += children[pid] ?? []
        }
        return Reading(cpuTicks: ticks, rssBytes: pages * pageSize)
    }

    /// The fields of `/proc/PID/stat` the sampler needs.
    struct Stat {
        var parent: Int32
        var ownTicks: UInt64
        var childTicks: UInt64
        var rssPages: Int
    }

    /// Parses `/proc/PID/stat`; the command name (field 2) may contain
    /// spaces and parentheses, so fields are counted from the last `)`.
    static func stat(of pid: Int32) -> Stat? {
        guard let text = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parseStat(text)
    }

    static func parseStat(_ text: String) -> Stat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15,
        // cutime 16, cstime 17, rss 24.
        guard fields.count > 21, let parent = Int32(fields[1]),
              let utime = UInt64(fields[11]), let stime = UInt64(fields[12]),
              let cutime = Int64(fields[13]), let cstime = Int64(fields[14]), let rss = Int(fields[21]) else { return nil }
        return Stat(parent: parent, ownTicks: utime + stime, childTicks: UInt64(max(0, cutime + cstime)), rssPages: max(0, rss))
    }

    /// Every process's stat, for finding descendants.
    static func processTable() -> [Int32: Stat] {
        guard let directory = opendir("/proc") else { return [:] }
        defer { closedir(directory) }
        var table: [Int32: Stat] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let stat = stat(of: pid) else { continue }
            table[pid] = stat
        }
        return table
    }

    /// Reads a /proc file (they report size 0, so `readWholeFile` reads to the end).
    static func readSmallFile(_ path: String) -> String? {
        guard let bytes = readWholeFile(path), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
