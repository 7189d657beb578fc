// Fernet module (being written)
