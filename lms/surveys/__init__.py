"""The survey engine: training evaluation under Circular 10/2017 and the citizen satisfaction index
of the one-stop counters."""
