"""The HTTP page cache for anonymous thread reads: the shared read cache and the hot path."""
