/// Remaining time to live of sampled `house:{h}:sensor:{s}:latest` keys over
/// the run. A healthy run keeps the histogram spread across the whole TTL
/// (keys refreshed all the time); a pile-up near zero means sensors report
/// less often than the TTL and their latest values are about to vanish.
public struct TTLReport: Codable, Sendable, Equatable {
    /// The configured `EX` of the latest keys.
    public var ttlSeconds: Double
    /// Upper edges of the histogram's buckets, in seconds, ascending; the
    /// last one is the TTL.
    public var bucketUpperBounds: [Double]
    public var samples: [TTLSample]

    public init(ttlSeconds: Double = 0, bucketUpperBounds: [Double] = [], samples: [TTLSample] = []) {
        self.ttlSeconds = ttlSeconds
        self.bucketUpperBounds = bucketUpperBounds
        self.samples = samples
    }

    /// `buckets` equal buckets from 0 to the TTL.
    public static func evenBuckets(ttlSeconds: Double, buckets: Int) -> [Double] {
        (1 ... max(1, buckets)).map { ttlSeconds * Double($0) / Double(max(1, buckets)) }
    }

    /// The bucket a remaining TTL falls in (values above the TTL go last).
    public func bucketIndex(forRemainingSeconds seconds: Double) -> Int {
        bucketUpperBounds.firstIndex { seconds <= $0 } ?? max(0, bucketUpperBounds.count - 1)
    }
}

/// One round of TTL sampling.
public struct TTLSample: Codable, Sendable, Equatable {
    /// Seconds since the run started.
    public var t: Double
    /// Keys asked about.
    public var sampled: Int
    /// Keys that no longer existed.
    public var missing: Int
    /// Keys without an expiry (should be none: every latest key has `EX`).
    public var persistent: Int
    /// One count per ``TTLReport/bucketUpperBounds`` entry.
    public var counts: [Int]

    public init(t: Double, sampled: Int, missing: Int, persistent: Int = 0, counts: [Int]) {
        self.t = t
        self.sampled = sampled
        self.missing = missing
        self.persistent = persistent
        self.counts = counts
    }
}

/// Latest keys that vanished before their TTL ran out: Redis evicted them
/// under memory pressure, so the API would have answered "no data" for a
/// sensor that had reported within the hour.
public struct LostLatestKeys: Codable, Sendable, Equatable {
    /// Distinct sensors whose latest key was found missing early.
    public var total: Int
    /// The first of them (at most ``listLimit``), for people to look at.
    public var sensors: [LostLatestKey]

    /// Enough to see a pattern; the total says how many there were.
    public static let listLimit = 1000

    public init(total: Int = 0, sensors: [LostLatestKey] = []) {
        self.total = total
        self.sensors = sensors
    }
}

public struct LostLatestKey: Codable, Sendable, Equatable {
    public var house: Int
    public var sensor: Int
    /// Seconds since the run started, when the key was found missing.
    public var detectedAt: Double
    /// How long before detection the sensor's latest value had been stored
    /// (less than the TTL, or it would simply have expired).
    public var storedSecondsBefore: Double

    public init(house: Int, sensor: Int, detectedAt: Double, storedSecondsBefore: Double) {
        self.house = house
        self.sensor = sensor
        self.detectedAt = detectedAt
        self.storedSecondsBefore = storedSecondsBefore
    }

    /// `house:{h}:sensor:{s}:latest`.
    public var key: String { "house:{\(house)}:sensor:\(sensor):latest" }
}
