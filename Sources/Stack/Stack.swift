// Stack module (being written)
