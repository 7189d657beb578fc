// Leak plugin (being written)
