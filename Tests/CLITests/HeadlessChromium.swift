import Foundation

/// Debian's chromium, headless, as the tests use it: load a page, let its
/// scripts run, and return the resulting DOM and every console message.
enum HeadlessChromium {
    static let executable = "/usr/bin/chromium"

    struct Page {
        var dom: String
        /// `CONSOLE` lines of Chromium's log: console.log/error and uncaught exceptions.
        var console: [String]
    }

    static func load(_ url: URL, timeout: TimeInterval = 60) throws -> Page {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=5000", "--dump-dom", url.absoluteString,
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("dom"), err = folder.appendingPathComponent("log")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.environment = ["HOME": folder.path, "PATH": "/usr/bin:/bin"]
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        return Page(
            dom: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            console: log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        )
    }
}
