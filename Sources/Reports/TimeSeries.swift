/// Messages counted during one second of the run.
public struct ThroughputPoint: Codable, Sendable, Equatable {
    /// Seconds since the run started (the start of this second).
    public var t: Double
    public var sent: Int
    public var received: Int
    public var stored: Int

    public init(t: Double, sent: Int = 0, received: Int = 0, stored: Int = 0) {
        self.t = t
        self.sent = sent
        self.received = received
        self.stored = stored
    }
}

/// Redis as INFO showed it at one moment. Counters are cumulative as Redis
/// keeps them; the rates are per second since the previous sample, which is
/// what the charts plot.
public struct RedisSample: Codable, Sendable, Equatable {
    /// Seconds since the run started.
    public var t: Double
    public var usedMemory: Int
    /// 0 means no limit.
    public var maxMemory: Int
    public var evictedKeys: Int
    public var expiredKeys: Int
    public var evictedPerSecond: Double
    public var expiredPerSecond: Double
    /// Keys in db0, and how many of them have an expiry.
    public var keys: Int
    public var keysWithExpiry: Int

    public init(t: Double, usedMemory: Int, maxMemory: Int, evictedKeys: Int, expiredKeys: Int, evictedPerSecond: Double = 0, expiredPerSecond: Double = 0, keys: Int, keysWithExpiry: Int) {
        self.t = t
        self.usedMemory = usedMemory
        self.maxMemory = maxMemory
        self.evictedKeys = evictedKeys
        self.expiredKeys = expiredKeys
        self.evictedPerSecond = evictedPerSecond
        self.expiredPerSecond = expiredPerSecond
        self.keys = keys
        self.keysWithExpiry = keysWithExpiry
    }
}

/// CPU and resident memory of one process (with its children, for servers
/// such as PostgreSQL that fork a process per connection) over the run.
public struct ProcessSeries: Codable, Sendable, Equatable {
    /// `harness`, `redis`, `mqtt`, `postgres`.
    public var name: String
    public var pid: Int32
    public var samples: [ProcessSample]

    public init(name: String, pid: Int32, samples: [ProcessSample] = []) {
        self.name = name
        self.pid = pid
        self.samples = samples
    }

    /// Mean CPU over the samples, in percent of one core.
    public var meanCPUPercent: Double {
        samples.isEmpty ? 0 : samples.reduce(0) { $0 + $1.cpuPercent } / Double(samples.count)
    }

    public var peakCPUPercent: Double { samples.map(\.cpuPercent).max() ?? 0 }

    public var peakRSSBytes: Int { samples.map(\.rssBytes).max() ?? 0 }
}

public struct ProcessSample: Codable, Sendable, Equatable {
    /// Seconds since the run started.
    public var t: Double
    /// Percent of one core since the previous sample (200 = two cores busy).
    public var cpuPercent: Double
    public var rssBytes: Int

    public init(t: Double, cpuPercent: Double, rssBytes: Int) {
        self.t = t
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
    }
}

/// What Fernet cost for one sensor kind: time per message and how much the
/// token inflates the payload (base64 of version, time, IV, padded
/// ciphertext and HMAC: about 4/3 × (payload + 57) bytes).
public struct FernetCost: Codable, Sendable, Equatable {
    public var kind: String
    public var messages: Int
    public var encryptMicroseconds: Double
    public var decryptMicroseconds: Double
    public var plaintextBytes: Double
    public var tokenBytes: Double

    public init(kind: String, messages: Int, encryptMicroseconds: Double, decryptMicroseconds: Double, plaintextBytes: Double, tokenBytes: Double) {
        self.kind = kind
        self.messages = messages
        self.encryptMicroseconds = encryptMicroseconds
        self.decryptMicroseconds = decryptMicroseconds
        self.plaintextBytes = plaintextBytes
        self.tokenBytes = tokenBytes
    }

    /// Token size over plaintext size.
    public var expansion: Double { plaintextBytes > 0 ? tokenBytes / plaintextBytes : 0 }
}
