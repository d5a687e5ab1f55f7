"""Choose gunicorn's worker class and count by measurement.

Usage: python bench/workers.py [--seconds S] [--rounds R] [--connections C]

Serves the configured database (DATABASE_URL; load the demo station first) with
gunicorn.conf.py under several worker set-ups in turn, loads the article page and the
home page with wrk (`apt-get install wrk`), in interleaved rounds so a busy neighbour
hurts every set-up alike, and prints the median requests/s and latencies of each.
Results also go to bench/results/workers.txt.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SETUPS = [  # (worker class, workers, threads)
    ("sync", 2, 1),
    ("sync", 3, 1),
    ("sync", 4, 1),
    ("gthread", 2, 4),
    ("gthread", 3, 2),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def article_path() -> str:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.models import Article

    return Article.objects.published().filter(picks__isnull=False).first().get_absolute_url()


def start(setup: tuple[str, int, int], port: int) -> subprocess.Popen:
    worker_class, workers, threads = setup
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKER_CLASS": worker_class,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESS_LOG": os.devnull,
    }
    server = subprocess.Popen(
        [GUNICORN, "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn {setup} did not start")


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": len(re.findall(r"Non-2xx|Socket errors", out)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    pages = {"article": article_path(), "home": "/"}
    samples: dict[tuple, list[dict]] = {}
    for _ in range(args.rounds):
        for setup in SETUPS:
            port = free_port()
            server = start(setup, port)
            try:
                for name, path in pages.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    wrk(url, 2, args.connections)  # warm up
                    samples.setdefault((setup, name), []).append(
                        wrk(url, args.seconds, args.connections)
                    )
            finally:
                server.terminate()
                server.wait()
    lines = [f"{'set-up':22} {'page':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"]
    for (setup, name), runs in samples.items():
        label = f"{setup[0]} w={setup[1]} t={setup[2]}"
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        lines.append(
            f"{label:22} {name:8} {median['rps']:8.1f} {median['p50']:8.1f} {median['p99']:8.1f}"
        )
    report = "\n".join(lines)
    print(report)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "workers.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
