"""Owns operations: Prometheus metrics (/metrics), health checks (/healthz, /readyz), the
request id and structured JSON logs."""
