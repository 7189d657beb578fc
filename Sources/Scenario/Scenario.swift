// Scenario module (being written)
