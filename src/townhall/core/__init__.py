"""Own the shared pieces: the clock, the error hierarchy, rate limits, mail and web middleware."""
