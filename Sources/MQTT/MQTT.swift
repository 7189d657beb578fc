// MQTT module (being written)
