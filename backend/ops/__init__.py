"""Operating the service: backup and restore, metrics."""
