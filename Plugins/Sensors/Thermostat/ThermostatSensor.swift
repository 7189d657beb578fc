// Thermostat plugin (being written)
