// libmosquitto (Debian: libmosquitto-dev). Only Sources/MQTT imports this module.
#pragma once
#include <mosquitto.h>
#include <mqtt_protocol.h>
