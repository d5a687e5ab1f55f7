"""Running Newsroom in production: health checks, request ids, logs, replicas, workers."""
