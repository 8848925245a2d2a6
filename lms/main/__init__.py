"""The home page for each role, and the health check."""
