"""In-process page benchmark: time the public pages on the demo station.

Usage: python bench/run.py [--requests N] [--rounds R]

Builds a throw-away SQLite database with the demo content (or uses DATABASE_URL when it is
set), then requests each public page through Django's test client, with no network and
no cache, and prints per page: median and p95 latency, requests per second on one core,
SQL queries per request; then the process's peak memory. Results also go to
bench/results/pages.txt.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_STATIC_ROOT"] = str(workdir / "static")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as served
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def pages() -> dict[str, str]:
    from articles.models import Article, Channel

    article = Article.objects.published().filter(picks__isnull=False).first()
    county = Channel.objects.get(slug="xianshiqu")
    return {
        "home": "/",
        "channel (parent, page 1)": county.get_absolute_url(),
        "article (full)": article.get_absolute_url(),
        "search (泸溪椪柑)": "/search/?q=%E6%B3%B8%E6%BA%AA%E6%A4%AA%E6%9F%91",
    }


def measure(path: str, requests: int, rounds: int) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.get(path)  # warm up templates and imports
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(rounds):
        for _ in range(requests):
            start = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - start)
    samples.sort()
    median = statistics.median(samples)
    return {
        "median_ms": median * 1000,
        "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000,
        "rps": 1 / median,
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        lines = [f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'queries':>8}"]
        for name, path in pages().items():
            r = measure(path, args.requests, args.rounds)
            lines.append(
                f"{name:28} {r['median_ms']:10.2f} {r['p95_ms']:8.2f} "
                f"{r['rps']:8.0f} {r['queries']:8d}"
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"peak RSS of the benchmark process: {peak_mb:.0f} MB")
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "pages.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
