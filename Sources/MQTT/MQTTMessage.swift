/// A message received on a subscription. The payload is copied out of
/// libmosquitto's buffer in the network thread's callback, because that
/// buffer is freed as soon as the callback returns.
public struct MQTTMessage: Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: Int = 0, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// Quality of service levels, named as the spec names them.
public enum MQTTQoS: Int, Sendable, CaseIterable {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2
}
