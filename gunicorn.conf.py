"""gunicorn settings for Newsroom: `gunicorn --config gunicorn.conf.py`.

Every value can be changed by an environment variable (docs/configuration.md, docs/production.md).

Worker model, measured on 2 cores with PostgreSQL on the same machine (docs/production.md,
"Choosing the workers"): Newsroom's pages spend their time in Python, not waiting on
the database, so threads do not add throughput but do add latency under load; sync
workers, one per core plus one, served the most pages per second with the lowest
tail latency. nginx in front buffers slow clients, which is what sync workers need.

Reload code without dropping a request: `kill -HUP <master pid>` (systemd: `systemctl
reload newsroom-web`) starts new workers, then stops the old ones gracefully.
"""

import multiprocessing
import os
import tempfile
from pathlib import Path

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# Recycle workers now and then, so a slow leak in any library never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# gunicorn's own default (4094 bytes) answers a long search link (a pasted paragraph: 500
# characters of Chinese are 4,500 bytes once encoded) with a bare English 414; its largest
# value lets the search page answer in Chinese, naming the limit.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
graceful_timeout = 30
keepalive = 5

# The app is loaded in each worker, not before forking, so `kill -HUP` loads new code.
# Preloading would not make a worker smaller as the kernel counts it (pages shared after
# the fork still count in each worker's resident memory), and nothing large is built
# before the fork: the Chinese word dictionary search needs stays in a file that each
# worker maps read-only (search/dictionary.py), sharing its pages through the page cache.
preload_app = False

# nginx on the same machine (or the addresses listed) may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The runtime control socket is off unless a path is given: two instances on one
# machine would otherwise fight over the same default path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "newsroom")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# With DJANGO_LOG_FORMAT=json the access log's atoms become JSON fields instead.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s" request_id=%({x-request-id}o)s'
if os.environ.get("DJANGO_LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }

# Metrics (ops/metrics.py): each worker counts in files of its own in this folder and a
# scrape sums them all, so /metrics tells the whole server whichever worker answers. The
# folder is emptied when the server starts: counts start at zero with it, as Prometheus
# expects of a restarted target.
if os.environ.get("NEWSROOM_METRICS_TOKEN") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="newsroom-metrics-")


def on_starting(server) -> None:
    if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """A worker that ended (recycled, reloaded, killed) no longer counts in live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
