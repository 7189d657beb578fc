import Scenario

/// The predictions: all from the calibration, none from Redis.
extension CapacityPlanner {
    func predict(_ calibration: CapacityCalibration, tokens: SampleTokens, maxMemory: Int, policy: String, redisVersion: String) -> CapacityPlan {
        let sensors = keyspace.sensorCount
        let model = RedisMemoryModel(baseline: calibration.baseline, maxMemory: Double(maxMemory))
        let usesStream = scenario.load.transport.usesRedisStream
        let streamBytes = usesStream ? (calibration.streamEntryBytes ?? 0) * Double(streamMaxLength) : 0

        // Keys only, in fill order, continuing past the estate: the verification's prediction.
        var fill = RedisMemoryModel.Fill(model: model)
        var estateKeyBytes = 0.0
        var estateMemory: Double?
        var onset: Int?
        keyspace.forEach(limit: maximumKeys) { slot in
            let cost = calibration.cost(kindIndex: slot.kindIndex, keyLength: slot.keyLength)
            fill.add(cost: cost)
            if fill.keys <= sensors { estateKeyBytes += cost }
            if fill.keys == sensors { estateMemory = fill.usedMemory }
            if fill.isOverLimit {
                onset = fill.keys
                return false
            }
            return true
        }
        let meanCost = estateKeyBytes / Double(min(sensors, max(1, fill.keys)))

        // With the stream at its full length beside the keys: what a run holds.
        var sensorsThatFit: Int?
        if maxMemory > 0 {
            var withStream = RedisMemoryModel.Fill(model: RedisMemoryModel(baseline: calibration.baseline + streamBytes, maxMemory: Double(maxMemory)))
            keyspace.forEach(limit: sensors) { slot in
                withStream.add(cost: calibration.cost(kindIndex: slot.kindIndex, keyLength: slot.keyLength))
                if withStream.isOverLimit {
                    sensorsThatFit = withStream.keys - 1
                    return false
                }
                return true
            }
        }

        var plan = CapacityPlan(
            scenario: scenario.name, redisVersion: redisVersion, maxMemory: maxMemory, policy: policy, ttlSeconds: ttlSeconds,
            sensors: sensors, houses: keyspace.houseCount,
            kinds: keyspace.kinds.enumerated().map { index, kind in
                let usage = calibration.memoryUsage(kindIndex: index, keyLength: LatestKey.length(house: keyspace.houseCount, sensor: sensors))
                return .init(kind: kind.rawValue, plaintextBytes: tokens.plaintextSizes[index], tokenBytes: tokens.tokens[index].count,
                             memoryUsageBytes: usage, bytesPerKey: Double(usage) + calibration.perKeyOverhead)
            },
            baselineBytes: calibration.baseline, emptyUsedMemory: calibration.emptyUsedMemory,
            perKeyOverheadBytes: calibration.perKeyOverhead, meanBytesPerSensor: meanCost,
            calibrationPoints: calibration.points.map { .init(keys: $0.keys, usedMemory: $0.usedMemory) },
            streamEntryBytes: calibration.streamEntryBytes, streamMaxLength: usesStream ? streamMaxLength : nil,
            history: scenario.load.history,
            estateMemoryBytes: (estateMemory ?? model.usedMemory(keys: sensors, meanCost: meanCost)) + streamBytes,
            sensorsThatFit: sensorsThatFit,
            evictionOnsetInFillOrder: onset
        )
        plan.timeline = timeline(model: model, meanCost: meanCost, streamEntryBytes: usesStream ? calibration.streamEntryBytes ?? 0 : 0)
        plan.steadyState = steadyState(model: model, meanCost: meanCost, streamBytes: streamBytes)
        return plan
    }

    /// Memory as the scenario's traffic fills Redis: each send refreshes one
    /// sensor's key, sensors report in turn, so the keys alive at time t are
    /// those sent to within the last TTL (at most every sensor), and the
    /// stream holds its newest entries up to its MAXLEN.
    func timeline(model: RedisMemoryModel, meanCost: Double, streamEntryBytes: Double) -> CapacityPlan.Timeline {
        let schedule = scenario.rateSchedule
        let duration = schedule.duration
        let ttl = Double(ttlSeconds)
        let step = max(1, duration / 2000)
        var result = CapacityPlan.Timeline(scenarioSeconds: duration, secondsToLimit: nil, peakMemoryBytes: 0, peakAtSeconds: 0)
        var t = 0.0
        while t <= duration + step / 2 {
            let now = min(t, duration)
            let sends = schedule.expectedCount(at: now)
            let alive = sends - (now > ttl ? schedule.expectedCount(at: now - ttl) : 0)
            let keys = Int(min(Double(keyspace.sensorCount), alive).rounded())
            let entries = min(Double(streamMaxLength), sends)
            let memory = model.usedMemory(keys: keys, meanCost: meanCost) + entries * streamEntryBytes
            if memory > result.peakMemoryBytes {
                result.peakMemoryBytes = memory
                result.peakAtSeconds = now
            }
            if result.secondsToLimit == nil, model.maxMemory > 0, memory > model.maxMemory {
                result.secondsToLimit = now
            }
            t += step
        }
        return result
    }

    /// Where a long run at the scenario's peak measured rate settles: every
    /// sensor that reports within a TTL keeps a key.
    func steadyState(model: RedisMemoryModel, meanCost: Double, streamBytes: Double) -> CapacityPlan.SteadyState {
        let schedule = scenario.rateSchedule
        let rate = schedule.peakRate(measuredOnly: true) > 0 ? schedule.peakRate(measuredOnly: true) : schedule.peakRate()
        let keys = Int(min(Double(keyspace.sensorCount), rate * Double(ttlSeconds)).rounded())
        let memory = model.usedMemory(keys: keys, meanCost: meanCost) + streamBytes
        return CapacityPlan.SteadyState(ratePerSecond: rate, keys: keys, memoryBytes: memory,
                                        fits: model.maxMemory == 0 || memory <= model.maxMemory)
    }
}
