import Foundation

/// The `stack.json` a running stack keeps in its run directory: enough for
/// another process (`hearth stack status`, a separate `hearth subscribe`) to
/// find the servers without sharing memory.
public struct StackStateFile: Codable, Sendable {
    public static let name = "stack.json"

    /// The hearth process that owns the stack.
    public var pid: Int32
    public var runDirectory: String
    public var endpoints: StackEndpoints
    public var servers: [StackService: Int32]

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StackError(.runDirectory, "could not write \(path): \(error)")
        }
    }

    public static func read(from path: String) throws -> StackStateFile {
        try JSONDecoder().decode(StackStateFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every stack run directory under `parent` (default `$TMPDIR` or /tmp) that has a state file.
    public static func findAll(parent: String? = nil) -> [StackStateFile] {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.filter { $0.hasPrefix("hearth-stack-") }.sorted().compactMap {
            try? read(from: "\(base)/\($0)/\(name)")
        }
    }
}
