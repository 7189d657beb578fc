/// Room temperature and humidity as most sensors see them: a slow drift around
/// a per-room comfort point, warmer in the afternoon, drier when warmer.
///
/// Shared by every plugin that reports ambient `temperature` and `humidity`
/// (fire/CO, motion), so rooms feel the same whichever sensor reads them.
/// Eight bytes: it sits inside per-sensor state.
@frozen
public struct IndoorClimate: Sendable, Hashable, BitwiseCopyable {
    public var temperature: Float
    public var humidity: Float
    /// The room's own comfort point, drawn once per sensor.
    public var comfortTemperature: Float
    public var comfortHumidity: Float

    public init(random: inout SeededRandom) {
        comfortTemperature = Float(random.uniform(19.5...22.5))
        comfortHumidity = Float(random.uniform(38...52))
        temperature = comfortTemperature + Float(random.normal() * 0.3)
        humidity = comfortHumidity + Float(random.normal() * 2)
    }

    /// Advances the room by `dt` seconds ending at `time`.
    public mutating func advance(by dt: Double, at time: Timestamp, random: inout SeededRandom) {
        let daily = Physics.dailyCycle(time, peakHour: 16)
        let targetTemperature = Double(comfortTemperature) + 1.2 * daily
        let t = Physics.drift(Double(temperature), mean: targetTemperature, deviation: 0.35, tau: 1800, dt: dt, random: &random)
        let targetHumidity = Double(comfortHumidity) - 4 * daily
        let h = Physics.drift(Double(humidity), mean: targetHumidity, deviation: 2.5, tau: 3600, dt: dt, random: &random)
        temperature = Float(Physics.clamp(t, 5...40))
        humidity = Float(Physics.clamp(h, 10...95))
    }
}
