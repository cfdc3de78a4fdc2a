"""Operations: readiness, Prometheus metrics, static fingerprints and compression."""
