import BlockingIO
import Foundation
import Testing

/// An actor on a ``ThreadExecutor``, like the clients' connections.
private actor PinnedActor {
    nonisolated let executor: ThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(executor: ThreadExecutor) { self.executor = executor }
    func thread() -> String { ThreadExecutorTests.currentThread() }
}

@Suite("ThreadExecutor")
struct ThreadExecutorTests {
    /// The calling thread's kernel id and name, from /proc.
    static func currentThread() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
        let id = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "?"
        return "\(id) \(name.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    @Test("a task that prefers the executor runs on its thread and calls the actor on the same thread", arguments: [true, false])
    func taskPreference(servesTasks: Bool) async {
        let executor = ThreadExecutor(name: "test-pinned", servesTasks: servesTasks)
        defer { executor.shutdown() }
        let pinned = PinnedActor(executor: executor)
        let (outside, inside, after) = await Task(executorPreference: executor) {
            let outside = Self.currentThread()
            let inside = await pinned.thread()
            try? await Task.sleep(nanoseconds: 1_000_000)
            return (outside, inside, Self.currentThread())
        }.value
        #expect(outside.hasSuffix(" test-pinned"), "\(outside)")
        #expect(inside == outside)
        #expect(after == outside, "a task keeps its preference across a suspension")
        let caller = Self.currentThread()
        #expect(await pinned.thread() == outside)
        #expect(caller != outside)
    }

    @Test("detached threads carry their name, cut to Linux's 15 bytes")
    func threadNames() async {
        let name = await withCheckedContinuation { continuation in
            _ = startDetachedThread(name: "a-very-long-thread-name") { continuation.resume(returning: Self.currentThread()) }
        }
        #expect(name.hasSuffix(" a-very-long-thr"), "\(name)")
    }
}
