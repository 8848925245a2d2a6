"""Organisation: units, ranks, positions, officials and the HR registry."""
