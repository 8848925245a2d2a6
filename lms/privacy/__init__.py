"""Personal data under Law 91/2025/QH15: the privacy notice every user acknowledges, the
officials' requests to correct, restrict or delete their data, and the retention periods the
nightly run applies."""
