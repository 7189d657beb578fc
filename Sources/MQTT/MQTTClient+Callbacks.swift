internal import CMosquitto
#if canImport(Glibc)
import Glibc
#endif

/// libmosquitto's callbacks. They run on its network thread, take the
/// client from the user-data pointer, and touch shared state only under the lock.
extension MQTTClient {
    static func from(_ userData: UnsafeMutableRawPointer?) -> MQTTClient {
        Unmanaged<MQTTClient>.fromOpaque(userData!).takeUnretainedValue()
    }

    func installCallbacks() {
        mosquitto_connect_callback_set(handle) { _, userData, rc in
            MQTTClient.from(userData).didConnect(rc)
        }
        mosquitto_disconnect_callback_set(handle) { _, userData, _ in
            let client = MQTTClient.from(userData)
            client.lock.withLock { client.isConnected = false }
        }
        mosquitto_publish_callback_set(handle) { _, userData, mid in
            MQTTClient.from(userData).didPublish(mid)
        }
        mosquitto_subscribe_callback_set(handle) { _, userData, mid, count, granted in
            let client = MQTTClient.from(userData)
            let qos = (0 ..< Int(count)).map { granted![$0] }
            let waiter = client.lock.withLock { client.subscriptionWaiters.removeValue(forKey: mid) }
            waiter?.resume(returning: qos)
        }
        mosquitto_message_callback_set(handle) { _, userData, message in
            guard let message = message?.pointee else { return }
            let topic = UnsafeRawBufferPointer(start: message.topic, count: strlen(message.topic))
            let payload = UnsafeRawBufferPointer(start: message.payload, count: Int(max(0, message.payloadlen)))
            MQTTClient.from(userData).inbox.append(topic: topic, payload: payload, qos: message.qos, retain: message.retain)
        }
    }

    /// PUBACK/PUBCOMP (or, at QoS 0, the write): wakes whoever waits on this
    /// message, or counts down the window of messages published without waiting.
    private func didPublish(_ mid: Int32) {
        var windowOpened: CheckedContinuation<Void, Never>?
        let waiter: CheckedContinuation<Void, any Error>? = lock.withLock {
            if let waiter = acknowledgements.removeValue(forKey: mid) { return waiter }
            guard unacknowledged.remove(mid) != nil else { return nil }
            if let window = windowWaiter, unacknowledged.count <= window.limit {
                windowOpened = window.continuation
                windowWaiter = nil
            }
            return nil
        }
        waiter?.resume()
        windowOpened?.resume()
    }

    private func didConnect(_ rc: Int32) {
        let (waiter, renew): (CheckedContinuation<Void, any Error>?, [(filter: String, qos: Int32)]) = lock.withLock {
            defer { connectWaiter = nil }
            if rc == 0 {
                isConnected = true
                connectionCount += 1
                let renew = hasConnected ? subscriptions : []
                hasConnected = true
                return (connectWaiter, renew)
            }
            return (connectWaiter, [])
        }
        for subscription in renew {
            mosquitto_subscribe(handle, nil, subscription.filter, subscription.qos)
        }
        if rc == 0 {
            waiter?.resume()
        } else {
            let reason = String(cString: mosquitto_connack_string(rc))
            waiter?.resume(throwing: MQTTError(.connectRefused, "the MQTT broker refused the connection: \(reason)", status: rc))
        }
    }

    func failAllWaiters(_ error: MQTTError) {
        let (acks, subs, connect, window) = lock.withLock {
            defer {
                acknowledgements.removeAll()
                subscriptionWaiters.removeAll()
                connectWaiter = nil
                windowWaiter = nil
            }
            return (Array(acknowledgements.values), Array(subscriptionWaiters.values), connectWaiter, windowWaiter)
        }
        window?.continuation.resume()
        acks.forEach { $0.resume(throwing: error) }
        subs.forEach { $0.resume(throwing: error) }
        connect?.resume(throwing: error)
    }
}
