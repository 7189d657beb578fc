// SensorCatalog module (being written)
