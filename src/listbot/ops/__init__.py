"""Running listbot for real: the single-instance lock, metrics and the health endpoint."""
