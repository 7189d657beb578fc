internal import CMosquitto

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
            let client = MQTTClient.from(userData)
            let waiter = client.lock.withLock { client.acknowledgements.removeValue(forKey: mid) }
            waiter?.resume()
        }
        mosquitto_subscribe_callback_set(handle) { _, userData, mid, count, granted in
            let client = MQTTClient.from(userData)
            let qos = (0 ..< Int(count)).map { granted![$0] }
            let waiter = client.lock.withLock { client.subscriptionWaiters.removeValue(forKey: mid) }
            waiter?.resume(returning: qos)
        }
        mosquitto_message_callback_set(handle) { _, userData, message in
            guard let message = message?.pointee else { return }
            let payload = message.payloadlen > 0
                ? Array(UnsafeRawBufferPointer(start: message.payload, count: Int(message.payloadlen)))
                : []
            MQTTClient.from(userData).inbox.append(MQTTMessage(
                topic: String(cString: message.topic), payload: payload,
                qos: Int(message.qos), retain: message.retain
            ))
        }
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
        let (acks, subs, connect) = lock.withLock {
            defer {
                acknowledgements.removeAll()
                subscriptionWaiters.removeAll()
                connectWaiter = nil
            }
            return (Array(acknowledgements.values), Array(subscriptionWaiters.values), connectWaiter)
        }
        acks.forEach { $0.resume(throwing: error) }
        subs.forEach { $0.resume(throwing: error) }
        connect?.resume(throwing: error)
    }
}
