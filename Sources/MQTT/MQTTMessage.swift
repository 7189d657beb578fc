/// A message received on a subscription.
///
/// Its topic and payload are slices of one buffer shared by the whole batch
/// it arrived in: the network thread's callback copies each message once,
/// into that buffer, with no allocation per message. Parse the topic from
/// `topicBytes` on hot paths; `topic` builds a String.
public struct MQTTMessage: Sendable {
    public var topicBytes: ArraySlice<UInt8>
    public var payload: ArraySlice<UInt8>
    public var qos: Int
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: Int = 0, retain: Bool = false) {
        self.topicBytes = ArraySlice(topic.utf8)
        self.payload = ArraySlice(payload)
        self.qos = qos
        self.retain = retain
    }

    init(topicBytes: ArraySlice<UInt8>, payload: ArraySlice<UInt8>, qos: Int, retain: Bool) {
        self.topicBytes = topicBytes
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    public var topic: String { String(decoding: topicBytes, as: UTF8.self) }
}

/// Quality of service levels, named as the spec names them.
public enum MQTTQoS: Int, Sendable, CaseIterable {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2
}
