"""The read beacon under load, and the fold-in of a day of reads.

Usage: python bench/beacon.py [--seconds 10] [--connections 32] [--workers 3]
                              [--beacons 1000000] [--stories 20000]

1. gunicorn (the shipped gunicorn.conf.py, sync workers) serves the site on loopback with
   reads counted in Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/5, under a key
   prefix of its own); wrk POSTs beacons for random stories from random addresses (behind
   one proxy, X-Forwarded-For) with a browser's user agent. Target: >= 3,000 a second.
2. A day of reads (--beacons over --stories, spread over 24 hours as the counter keeps
   them: one hash per hour) is written to Redis, and ``fold()`` moves it into a database of
   its own (BENCH_FOLD_DATABASE_URL, default the local PostgreSQL ``newsroom_bench_reads``,
   created and migrated if missing) holding that many stories. Target: < 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.suite import environment, manage, wrk  # noqa: E402
from tests.scaleout.servers import AppServer  # noqa: E402

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
FOLD_DATABASE = os.environ.get(
    "BENCH_FOLD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench_reads"
)
PREFIX = "bench-reads"
AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"


def beacon_script(stories: int) -> str:
    return (
        "math.randomseed(os.time())\n"
        "request = function()\n"
        f"  local story = math.random(1, {stories})\n"
        "  local address = '10.' .. math.random(0, 255) .. '.' .. math.random(0, 255) .. '.' "
        ".. math.random(1, 254)\n"
        "  return wrk.format('POST', '/read/' .. story .. '/', "
        f"{{['User-Agent'] = '{AGENT}', ['X-Forwarded-For'] = address}})\n"
        "end\n"
    )


def serve_beacons(args: argparse.Namespace, workdir: Path) -> dict:
    env = {
        **environment(os.environ.get("DATABASE_URL", FOLD_DATABASE), workdir),
        "CACHE_URL": REDIS,
        "NEWSROOM_AUDIENCE_PREFIX": PREFIX,
        "NEWSROOM_PROXY_COUNT": "1",
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_WORKER_CLASS": args.worker_class,
        "GUNICORN_THREADS": str(args.threads),
    }
    script = workdir / "beacon.lua"
    script.write_text(beacon_script(args.stories))
    server = AppServer(env=env, log_path=workdir / "gunicorn.log").start()
    try:
        url = f"{server.origin}/read/1/"
        wrk(url, 2, args.connections, script)  # warm up
        return wrk(url, args.seconds, args.connections, script)
    finally:
        server.stop()
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{PREFIX}:*", count=1000):
            client.delete(key)


def fold_a_day(args: argparse.Namespace) -> tuple[float, int]:
    os.environ.update(
        DATABASE_URL=FOLD_DATABASE,
        CACHE_URL=REDIS,
        NEWSROOM_AUDIENCE_PREFIX=PREFIX + "-fold",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    name = FOLD_DATABASE.rsplit("/", 1)[1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    manage(dict(os.environ), "migrate", "-v0")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, Channel
    from audience import counter
    from audience.fold import fold
    from audience.models import FoldedBatch, HourlyReads

    channel, _ = Channel.objects.get_or_create(slug="bench-reads", defaults={"name": "阅读"})
    have = Article.objects.filter(channel=channel).count()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"稿件{n}",
            channel=channel,
            section=channel,
            status="published",
            first_published_at=now,
        )
        for n in range(have, args.stories)
    )
    stories = list(Article.objects.filter(channel=channel).values_list("pk", flat=True))
    HourlyReads.objects.all().delete()
    FoldedBatch.objects.all().delete()
    client = counter.client()
    chance = random.Random(19)
    first_hour = int(now.timestamp()) // 3600 - 23
    pipeline = client.pipeline(transaction=False)
    for n, story in enumerate(chance.choices(stories, k=args.beacons)):
        pipeline.hincrby(counter.hour_key(first_hour + n % 24), story, 1)
        if n % 10_000 == 9_999:
            pipeline.execute()
    pipeline.execute()
    started = time.perf_counter()
    done = fold()
    seconds = time.perf_counter() - started
    connection.close()
    assert done.reads == args.beacons, (done.reads, args.beacons)
    return seconds, done.batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--beacons", type=int, default=1_000_000)
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-fold", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        if not args.skip_fold:
            seconds, batches = fold_a_day(args)
            print(f"fold-in: {args.beacons:,} beacons over {args.stories:,} stories "
                  f"({batches} hour batches) in {seconds:.1f} s (target < 60 s)")  # fmt: skip
        result = serve_beacons(args, Path(workdir))
        print(f"beacon: {result['rps']:,.0f} hits/s, p50 {result['p50']:.2f} ms, "
              f"p99 {result['p99']:.2f} ms, non-2xx {result['bad']} "
              f"(wrk -t2 -c{args.connections}, {args.seconds} s, {args.workers} "
              f"{args.worker_class} workers x {args.threads} threads; "
              "target >= 3,000/s)")  # fmt: skip


if __name__ == "__main__":
    main()
