// DoorWindow plugin (being written)
