/// The detector's reported smoke level, `smart_level` in the payload.
///
/// Levels change with hysteresis (up at 20 and 55, down below 10 and 40 on the
/// 0-100 obscuration scale), like a real detector's firmware, so smoke near a
/// threshold does not make the level flicker.
enum SmokeLevel: UInt8, CaseIterable, Sendable, BitwiseCopyable {
    case low, moderate, high

    var label: String {
        switch self {
        case .low: return "Low"
        case .moderate: return "Moderate"
        case .high: return "High"
        }
    }

    static var labels: [String] { allCases.map(\.label) }

    /// The level after reading `obscuration`, given this one.
    func next(obscuration: Float) -> SmokeLevel {
        switch self {
        case .low: return obscuration >= 55 ? .high : obscuration >= 20 ? .moderate : .low
        case .moderate: return obscuration >= 55 ? .high : obscuration < 10 ? .low : .moderate
        case .high: return obscuration < 10 ? .low : obscuration < 40 ? .moderate : .high
        }
    }
}
