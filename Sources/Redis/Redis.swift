// Redis module (being written)
