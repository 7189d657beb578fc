// Motion plugin (being written)
