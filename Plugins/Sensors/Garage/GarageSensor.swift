// Garage plugin (being written)
