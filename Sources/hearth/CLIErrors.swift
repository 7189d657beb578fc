import ArgumentParser
import Foundation
import Logging
import Stack

/// Turns a thrown error into the one line a user sees and the documented exit
/// code: 2 for bad input or a missing package, 1 for anything at run time.
func withCLIErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StackError {
        printError(error.message)
        throw error.isBadInput ? ExitCode.badInput : ExitCode.runtimeError
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode.runtimeError
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("hearth: error: \(message)\n".utf8))
}

extension Logger {
    /// Loggers write to stderr at notice level unless HEARTH_LOG_LEVEL says otherwise,
    /// so stdout stays clean for the URLs and reports that scripts read.
    static func hearth(label: String) -> Logger {
        var logger = Logger(label: label) { StderrLogHandler(label: $0) }
        let level = ProcessInfo.processInfo.environment["HEARTH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .notice
        return logger
    }
}
