#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Debian's Chromium, headless, driven through the DevTools protocol over
/// `--remote-debugging-pipe`: the browser reads commands on fd 3 and writes
/// answers and events on fd 4, each a JSON message ended by a NUL byte. A
/// pipe needs no WebSocket client and no port, and dies with the browser.
///
/// Playwright is not available here; this is the little of it the
/// dashboard test needs. Pages are driven through ``BrowserPage``.
final class HeadlessChromium: @unchecked Sendable {
    static let executable = "/usr/bin/chromium"

    struct ProtocolError: Error, CustomStringConvertible {
        let description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private let profile: String
    private let lock = NSLock()
    private var nextID = 1
    private var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
    private var closed = false
    /// Uncaught page exceptions and console errors, for failure messages.
    private var pageErrors: [String] = []

    /// Starts the browser; its own output goes to `logFile`.
    init(logFile: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-chromium-\(UUID().uuidString)").path
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--user-data-dir=\(profile)",
            // Nothing but the page under test may touch the network.
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
            "--disable-client-side-phishing-detection", "--disable-features=Translate,OptimizationHints,MediaRouter",
            "--mute-audio", "about:blank",
        ]
        let toBrowser = try Self.pipePair()
        let fromBrowser = try Self.pipePair()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The pair's ends are close-on-exec and above 100, so these dup2s
        // cannot clobber one another, and only fds 3 and 4 reach the browser.
        posix_spawn_file_actions_adddup2(&actions, toBrowser.read, 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser.write, 4)
        // Nothing else of ours: the test process holds sockets to the
        // servers, and not every C library marks them close-on-exec; a
        // browser holding a copy would keep a connection open after the
        // test closed it.
        try Self.closeFrom(5, in: &actions)
        let argv = ([Self.executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, Self.executable, &actions, nil, argv, environ)
        close(toBrowser.read)
        close(fromBrowser.write)
        guard rc == 0 else {
            close(toBrowser.write)
            close(fromBrowser.read)
            throw ProtocolError(description: "could not start \(Self.executable): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        commands = toBrowser.write
        answers = fromBrowser.read
        let reader = Thread { [self] in readAnswers() }
        reader.name = "chromium-devtools"
        reader.start()
    }

    /// Runs `body` with a new browser, which is stopped however `body` ends.
    static func with(logFile: String, _ body: (HeadlessChromium) async throws -> Void) async throws {
        let browser = try HeadlessChromium(logFile: logFile)
        do {
            try await body(browser)
        } catch {
            await browser.stop()
            throw error
        }
        await browser.stop()
    }

    /// Sends one command and returns its `result` as JSON; `session` targets a page.
    func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil) async throws -> [String: Any] {
        let data = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            lock.lock()
            if closed {
                lock.unlock()
                continuation.resume(throwing: ProtocolError(description: "the browser has gone"))
                return
            }
            let id = nextID
            nextID += 1
            pending[id] = continuation
            lock.unlock()
            var message: [String: Any] = ["id": id, "method": method, "params": parameters]
            if let session { message["sessionId"] = session }
            do {
                var bytes = try JSONSerialization.data(withJSONObject: message)
                bytes.append(0)
                try writeAll(bytes)
            } catch {
                lock.withLock { pending.removeValue(forKey: id) }?.resume(throwing: error)
            }
        }
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        if let error = answer["error"] as? [String: Any] {
            throw ProtocolError(description: "\(method): \(error["message"] ?? error)")
        }
        return answer["result"] as? [String: Any] ?? [:]
    }

    var errorsSeen: [String] { lock.withLock { pageErrors } }

    /// Closes the browser, politely first; removes its profile.
    func stop() async {
        _ = try? await withTimeout(seconds: 5) { _ = try await self.send("Browser.close") }
        for _ in 0 ..< 100 where waitpid(pid, nil, WNOHANG) == 0 {
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        if waitpid(pid, nil, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
        }
        close(commands)
        try? FileManager.default.removeItem(atPath: profile)
    }

    private func writeAll(_ data: Data) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(commands, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ProtocolError(description: "writing to the browser failed: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    /// On its own thread: splits the stream at NULs and answers the waiters.
    private func readAnswers() {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(answers, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0 ..< count])
            while let end = buffer.firstIndex(of: 0) {
                dispatch(Data(buffer[..<end]))
                buffer.removeSubrange(...end)
            }
        }
        close(answers)
        let waiters = lock.withLock {
            closed = true
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for waiter in waiters { waiter.resume(throwing: ProtocolError(description: "the browser closed the DevTools pipe")) }
    }

    private func dispatch(_ message: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            lock.withLock { pending.removeValue(forKey: id) }?.resume(returning: message)
        } else if object["method"] as? String == "Runtime.exceptionThrown",
                  let details = (object["params"] as? [String: Any])?["exceptionDetails"] as? [String: Any] {
            let text = (details["exception"] as? [String: Any])?["description"] as? String ?? details["text"] as? String ?? "exception"
            lock.withLock { pageErrors.append(text) }
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later;
    /// Debian 12 has 2.36), looked up at run time because Swift's Glibc
    /// module does not declare it.
    private static func closeFrom(_ fd: Int32, in actions: inout posix_spawn_file_actions_t) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            throw ProtocolError(description: "this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later needed)")
        }
        let rc = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, fd)
        guard rc == 0 else { throw ProtocolError(description: "addclosefrom failed: \(String(cString: strerror(rc)))") }
    }

    /// Two pipe ends, moved above fd 100 and close-on-exec.
    private static func pipePair() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ProtocolError(description: "pipe failed: \(String(cString: strerror(errno)))") }
        let high = fds.map { fd -> Int32 in
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 100)
            close(fd)
            return moved
        }
        return (high[0], high[1])
    }
}

/// Runs `body`, failing if it takes longer than `seconds`.
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            throw HeadlessChromium.ProtocolError(description: "timed out after \(seconds) s")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
