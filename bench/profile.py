"""Where an uncached request spends its time: pyinstrument over the public pages.

Usage: python bench/profile.py [--requests 50] [--page article]

Runs against the benchmark database the suite builds (BENCH_DATABASE_URL, default the local
`newsroom_bench`; run `make bench` once first), in this process, through Django's test
client with the page cache off, so each request is what the suite's "uncached" gunicorn
worker does minus the network (fragments and navigation stay cached, as they do there;
--cold clears every cache before each request instead). For each page it prints
the SQL time against the whole, then pyinstrument's call tree (frames under 2% hidden), and
writes the same to bench/results/profile-<page>.txt.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
RESULTS = ROOT / "bench" / "results"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    os.environ["DJANGO_MEDIA_ROOT"] = str(ROOT / "bench" / "data" / "media")
    os.environ["DJANGO_ORIGINALS_ROOT"] = str(ROOT / "bench" / "data" / "originals")
    os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"
    os.environ.pop("CACHE_URL", None)  # the in-process cache
    os.environ["DJANGO_STATIC_ROOT"] = tempfile.mkdtemp(prefix="newsroom-profile-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as served


def pages() -> dict[str, str]:
    from articles.models import Article

    article = (
        Article.objects.published().filter(suggestions__picked=True).first()
        or Article.objects.published().filter(cover_image__isnull=False).first()
    )
    return {
        "article": article.get_absolute_url(),
        "channel": "/channel/xianshiqu/",
        "channel-deep": "/channel/xianshiqu/?page=2000",
        "home": "/",
    }


def profile(name: str, path: str, requests: int, cold: bool) -> str:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    assert client.get(path).status_code == 200, path  # templates compiled, imports done
    sql_seconds = 0.0

    def timed(execute, sql, params, many, context):
        nonlocal sql_seconds
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds += time.perf_counter() - start

    profiler = Profiler(interval=0.0005)
    total = 0.0
    cpu_start = time.process_time()
    with connection.execute_wrapper(timed):
        for _ in range(requests):
            if cold:
                cache.clear()
            start = time.perf_counter()
            profiler.start()
            client.get(path)
            profiler.stop()
            total += time.perf_counter() - start
    per_request = total / requests * 1000
    cpu = (time.process_time() - cpu_start) / requests * 1000  # this process only: not SQL
    sql = sql_seconds / requests * 1000
    head = (
        f"{name} {path}: {per_request:.1f} ms per request, of which SQL "
        f"{sql:.1f} ms ({sql / per_request:.0%}), Python {per_request - sql:.1f} ms "
        f"(≈{1000 / per_request:.0f} requests/s per core); this process's CPU "
        f"{cpu:.1f} ms per request (profiler included)\n"
    )
    return head + profiler.output_text(unicode=True, color=False, show_all=False, time="percent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cold", action="store_true", help="clear every cache per request")
    parser.add_argument("--page", choices=["article", "channel", "channel-deep", "home"])
    args = parser.parse_args()
    setup_django()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, path in pages().items():
        if args.page and name != args.page:
            continue
        report = profile(name, path, args.requests, args.cold)
        (RESULTS / f"profile-{name}{'-cold' if args.cold else ''}.txt").write_text(report)
        print(report)


if __name__ == "__main__":
    main()
