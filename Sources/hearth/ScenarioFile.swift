import ArgumentParser
import Foundation
import Scenario

/// Reads a scenario file for a command, or prints every diagnostic
/// (`FILE:LINE:COL: what is wrong`) on stderr and exits 2: the one way
/// `run`, `publish` and `capacity` refuse a bad scenario.
enum ScenarioFile {
    static func load(_ path: String) throws -> Scenario {
        do {
            return try Scenario.load(contentsOfFile: path)
        } catch {
            FileHandle.standardError.write(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode.badInput
        }
    }
}
