"""External training: an official's submissions with evidence, and HR's approval or rejection."""
