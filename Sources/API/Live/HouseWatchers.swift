import NIOConcurrencyHelpers

/// The houses that dashboards have open: one ``HouseWatch`` per house,
/// started by the first page that opens it and ended at the first tick
/// after the last one closed.
final class HouseWatchers: Sendable {
    private let watches = NIOLockedValueBox<[Int: HouseWatch]>([:])
    private let interval: Duration

    init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// A page's stream of `house`: the events that show the house as it is
    /// now, then every change. Listening starts before the current state is
    /// read, so no change falls in between.
    func listen(house: Int, services: APIServices) -> (current: [ServerSentEvent], changes: AsyncStream<ServerSentEvent>) {
        let (watch, changes, started) = watches.withLockedValue { watches in
            let existing = watches[house]
            let watch = existing ?? HouseWatch(house: house)
            watches[house] = watch
            // Inside the lock: the watch cannot be judged idle and removed
            // between being found here and having this listener.
            return (watch, watch.events.listen(), existing == nil)
        }
        if started {
            let interval = interval
            Task { await watch.run(services: services, interval: interval) { [weak self] in self?.removeIfIdle(watch) ?? true } }
        }
        return (watch.currentEvents, changes)
    }

    /// Wakes the watch of `house`, if a page has it open.
    func poke(house: Int) {
        watches.withLockedValue { $0[house] }?.poke()
    }

    /// Ends every watch and every page's stream (shutdown).
    func stopAll() {
        let all = watches.withLockedValue { watches in
            defer { watches.removeAll() }
            return Array(watches.values)
        }
        for watch in all { watch.stop() }
    }

    var openHouses: Int { watches.withLockedValue { $0.count } }

    private func removeIfIdle(_ watch: HouseWatch) -> Bool {
        watches.withLockedValue { watches in
            guard watch.events.listenerCount == 0 else { return false }
            if watches[watch.house] === watch { watches.removeValue(forKey: watch.house) }
            return true
        }
    }
}
