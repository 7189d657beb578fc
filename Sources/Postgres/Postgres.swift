// Postgres module (being written)
