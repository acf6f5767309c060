"""The soak test builds its own records; it needs only the shared database fixtures."""
