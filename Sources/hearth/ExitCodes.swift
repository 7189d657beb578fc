import ArgumentParser

/// The CLI's exit codes, a contract with CI pipelines (DESIGN.md):
/// 0 passed, 1 runtime error, 2 bad input (usage or scenario), 3 a gate failed.
extension ExitCode {
    static let runtimeError = ExitCode(1)
    static let badInput = ExitCode(2)
    static let gateFailed = ExitCode(3)
}
