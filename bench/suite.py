"""The benchmark suite: Newsroom's public pages at the size of a real desk, side by side.

Usage: python bench/suite.py [--articles 100000] [--seconds 8] [--rounds 3]
                             [--connections 16] [--workers 2]

Builds (or reuses) a PostgreSQL benchmark database of --articles published articles
(BENCH_DATABASE_URL, default the local `newsroom_bench`), then starts on loopback:

- gunicorn with the page cache off ("uncached": every request built from the database),
- gunicorn with the page cache on ("app-cached": stored pages in Redis), and the same
  with 4 threads per worker ("app gthread": connections kept open between requests),
- the shipped nginx configuration in front of the latter ("edge-cached"),
- and two baselines: nginx serving a saved copy of the article page as a static file, and
  a bare WSGI callable on the same gunicorn set-up.

wrk -t2 -c16 loads each page in each mode in interleaved rounds (a busy neighbour hurts
every row alike); the table gives the median requests/s, p50/p99 latency, the ratios to
the nginx static and bare WSGI baselines, the SQL queries each page makes (cold caches /
warm), and each gunicorn worker's peak, private and proportional memory after 10,000 mixed
requests. A long-tail row asks for 10,000 different articles in turn, a search-mix row
for bench/search.py's mix of queries (bench/search.py alone also reports the index's size).
Results are also written to bench/results/suite.txt.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_mix import QUERIES as SEARCH_QUERIES  # noqa: E402
from bench.search_mix import search_path  # noqa: E402
from tests.scaleout.servers import AppServer, Browser, EdgeCache, wait_until  # noqa: E402

PYTHON = sys.executable
DATA = ROOT / "bench" / "data"  # media and photo originals of the benchmark database
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
# The bare WSGI callable on the machine the targets were set on.
REFERENCE_BARE_WSGI = 6_700
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def environment(database_url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS,
        "DJANGO_MEDIA_ROOT": str(DATA / "media"),
        "DJANGO_ORIGINALS_ROOT": str(DATA / "originals"),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "600",
        "GUNICORN_ACCESS_LOG": os.devnull,
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_SLOW_QUERY_MS": "0",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_database(env: dict[str, str], articles: int) -> None:
    """Create the benchmark database if needed and fill it to the asked size."""
    url = urllib.parse.urlparse(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    probe = subprocess.run(
        ["psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
         "-U", url.username or "postgres", "-d", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    if probe.stdout.strip() != "1":
        subprocess.run(
            ["createdb", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
             "-U", url.username or "postgres", name],
            check=True,
        )  # fmt: skip
    manage(env, "migrate", "--noinput")
    have, indexed = map(int, manage(env, "shell", "-c",
        "from articles.models import Article, SearchEntry; "
        "print(Article.objects.published().count(), SearchEntry.objects.count())",
    ).strip().splitlines()[-1].split())  # fmt: skip
    if have == 0:
        print("Loading the demo station ...", flush=True)
        manage(env, "load_demo")
        have = indexed = 48
    if have < articles:
        print(f"Generating {articles - have} articles ...", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", "generate_articles", "--count", str(articles - have)],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    if indexed < max(have, articles):
        # Generated articles are loaded outside the workflow: search finds them once indexed.
        print("Indexing the articles for search ...", flush=True)
        manage(env, "reindex_search")
        manage(env, "shell", "-c", "from django.db import connection; "
               "connection.cursor().execute('VACUUM ANALYZE')")  # fmt: skip


def pages(env: dict[str, str]) -> dict[str, str]:
    code = (
        "from articles.models import Article, Channel;"
        "a = Article.objects.published().filter(suggestions__picked=True).first() "
        "or Article.objects.published().filter(cover_image__isnull=False).first();"
        "print(a.get_absolute_url())"
    )
    article = manage(env, "shell", "-c", code).strip().splitlines()[-1]
    count = (
        "from articles.models import Article, Channel;"
        "print(Article.objects.published().in_channel(Channel.objects.get(slug='xianshiqu')).count())"
    )
    deep = min(2000, int(manage(env, "shell", "-c", count).strip().splitlines()[-1]) // 20)
    return {
        "article": article,
        "channel p.1": "/channel/xianshiqu/",
        f"channel p.{deep}": f"/channel/xianshiqu/?page={deep}",
        "home": "/",
        "search": "/search/?q=" + urllib.parse.quote("椪柑"),
        "feed": "/feeds/rss/",
    }


def query_counts(env: dict[str, str], paths: dict[str, str]) -> dict[str, str]:
    code = (
        "import json\n"
        "from django.core.cache import cache\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "client, out, seen = Client(HTTP_HOST='127.0.0.1'), {}, []\n"
        "def count(execute, sql, params, many, context):\n"
        "    seen.append(sql)\n"
        "    return execute(sql, params, many, context)\n"
        f"for name, path in {paths!r}.items():\n"
        "    counts = []\n"
        "    cache.clear()\n"
        "    for _ in range(2):\n"
        "        seen.clear()\n"
        "        with connection.execute_wrapper(count):\n"
        "            status = client.get(path).status_code\n"
        "        assert status == 200, (path, status)\n"
        "        counts.append(len(seen))\n"
        "    out[name] = f'{counts[0]}/{counts[1]}'\n"
        "print(json.dumps(out))\n"
    )
    cold_env = {**env, "NEWSROOM_PAGE_CACHE_SECONDS": "0", "CACHE_URL": REDIS[:-1] + "6"}
    import json

    return json.loads(manage(cold_env, "shell", "-c", code).strip().splitlines()[-1])


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "bad": int(non_2xx[1]) if non_2xx else 0,
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
    }


def bare_server(workdir: Path, workers: int) -> AppServer:
    env = {
        **os.environ,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": os.devnull,
        "PYTHONPATH": str(ROOT / "bench"),
    }
    server = AppServer(env=env, log_path=workdir / "bare.log")
    server.process = subprocess.Popen(
        [Path(PYTHON).with_name("gunicorn"), "--config", "gunicorn.conf.py", "bare:application"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{server.port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server.log = (workdir / "bare.log").open("ab")

    def answers() -> bool:
        try:
            return Browser().get(f"{server.origin}/").status == 200
        except OSError:
            return False

    wait_until(answers, 30, "the bare WSGI server")
    return server


def peak_rss_mib(server: AppServer) -> float:
    """The highest resident memory any worker of this server has reached."""
    peaks = []
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024)
    return max(peaks)


def own_memory_mib(server: AppServer) -> tuple[float, float]:
    """(private, proportional) memory of the largest worker now: what it holds alone, and
    that plus its share of pages shared with the master and the other workers."""
    found = []
    for pid in server.worker_pids():
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        kib = {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
        found.append(((kib["Private_Clean"] + kib["Private_Dirty"]) / 1024, kib["Pss"] / 1024))
    return max(found)


def many_articles(env: dict[str, str], count: int = 10_000) -> list[str]:
    """Paths of ``count`` different live articles spread over the whole archive."""
    code = (
        "from articles.models import Article;"
        "ids = list(Article.objects.published().values_list('pk', flat=True));"
        f"step = max(1, len(ids) // {count});"
        f"chosen = Article.objects.filter(pk__in=ids[::step][:{count}]);"
        "print('\\n'.join(a.get_absolute_url() for a in chosen))"
    )
    return [line for line in manage(env, "shell", "-c", code).splitlines() if line.startswith("/")]


def mixed_script(workdir: Path, paths: list[str], name: str = "mixed") -> Path:
    """A wrk script that walks through the pages in turn."""
    script = workdir / f"{name}.lua"
    listing = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        # Each run starts somewhere else in the list, so repeated runs see other pages.
        f"local paths = {{{listing}}}\n"
        'math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))\n'
        "local n = math.random(#paths)\n"
        "request = function()\n  n = n + 1\n"
        "  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n",
        encoding="utf-8",
    )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "psql", "createdb"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (see docs/performance.md, the benchmark)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    static_root = workdir / "static"
    env = environment(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE), static_root)
    prepare_database(env, args.articles)
    manage(env, "collectstatic", "--noinput")
    paths = pages(env)
    tail = many_articles(env)
    counts = query_counts(env, paths)
    subprocess.run(["redis-cli", "-u", REDIS, "FLUSHDB"], check=True, capture_output=True)

    common = {**env, "WEB_CONCURRENCY": str(args.workers)}
    uncached = AppServer({**common, "NEWSROOM_PAGE_CACHE_SECONDS": "0"}, workdir / "a.log")
    cached = AppServer({**common, "NEWSROOM_PAGE_CACHE_SECONDS": "600"}, workdir / "b.log")
    # The same with threads: a thread keeps the client's connection open between requests,
    # which a sync worker closes, and a stored page needs the CPU for little else.
    threaded = AppServer(
        {**common, "NEWSROOM_PAGE_CACHE_SECONDS": "600", "GUNICORN_WORKER_CLASS": "gthread",
         "GUNICORN_THREADS": "4"},
        workdir / "c.log",
    )  # fmt: skip
    servers, edge = [], EdgeCache(workdir / "edge", [f"127.0.0.1:{cached.port}"], static_root,
                                  DATA / "media")  # fmt: skip
    try:
        servers += [uncached.start(), cached.start(), bare_server(workdir, args.workers)]
        servers.append(threaded.start())
        edge.start()
        # The static baseline: the article page, saved and served by nginx as a file.
        saved = Browser().get(f"{cached.origin}{paths['article']}")
        (static_root / "bench-article.html").write_bytes(saved.body)
        targets = {("uncached", name): f"{uncached.origin}{path}" for name, path in paths.items()}
        # The long tail: each request a different article, so its fragments are mostly cold.
        scripts = {("uncached", "article (10,000)"): mixed_script(workdir, tail, "tail")}
        targets[("uncached", "article (10,000)")] = f"{uncached.origin}/"
        # Readers' varied searches (bench/search.py's mix): each one misses the page cache.
        searches = [search_path(query) for _, query in SEARCH_QUERIES]
        scripts[("uncached", "search mix")] = mixed_script(workdir, searches, "searches")
        targets[("uncached", "search mix")] = f"{uncached.origin}/"
        targets |= {("app-cached", name): f"{cached.origin}{path}" for name, path in paths.items()}
        targets |= {("app gthread", n): f"{threaded.origin}{path}" for n, path in paths.items()}
        targets |= {("edge-cached", name): f"{edge.origin}{path}" for name, path in paths.items()}
        targets[("baseline", "nginx static file")] = f"{edge.origin}/static/bench-article.html"
        targets[("baseline", "bare WSGI")] = f"{servers[2].origin}/"
        samples: dict[tuple[str, str], list[dict]] = {key: [] for key in targets}
        for number in range(1, args.rounds + 1):
            print(f"Round {number} of {args.rounds} ...", flush=True)
            for key, url in targets.items():
                script = scripts.get(key)
                wrk(url, 1, args.connections, script)  # warm up (and fill the caches)
                samples[key].append(wrk(url, args.seconds, args.connections, script))
        # Memory: 10,000 mixed requests through each app server, then each worker's peak.
        script = mixed_script(workdir, list(paths.values()))
        for server in (uncached, cached):
            done = 0
            while done < 10_000:
                done += wrk(f"{server.origin}/", 5, args.connections, script)["requests"]
        memory = {
            mode: (peak_rss_mib(server), *own_memory_mib(server))
            for mode, server in (("uncached", uncached), ("app-cached", cached))
        }
    finally:
        edge.stop()
        for server in servers:
            server.stop()
    report(args, samples, counts, memory, paths)


def report(args, samples, counts, memory, paths) -> None:
    def median(runs: list[dict], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    static = median(samples[("baseline", "nginx static file")], "rps")
    bare = median(samples[("baseline", "bare WSGI")], "rps")
    lines = [
        f"Newsroom benchmark — {args.articles} articles, {args.workers} sync gunicorn workers, "
        f"wrk -t2 -c{args.connections}, {args.rounds} rounds of {args.seconds} s, medians; "
        f"{time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"{'mode':12} {'page':18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'vs static':>9} {'vs bare':>8} {'queries':>8} {'non-2xx':>8}",
    ]
    for (mode, page), runs in samples.items():
        lines.append(
            f"{mode:12} {page:18} {median(runs, 'rps'):9.0f} {median(runs, 'p50'):8.2f} "
            f"{median(runs, 'p99'):8.2f} {median(runs, 'rps') / static:9.1%} "
            f"{median(runs, 'rps') / bare:8.1%} "
            f"{counts.get(page, '') if mode != 'baseline' else '':>8} "
            f"{sum(run['bad'] for run in runs):8d}"
        )
    deep_page = next(
        name for name in paths if name.startswith("channel p.") and name != "channel p.1"
    )
    deep = median(samples[("uncached", deep_page)], "p50")
    first = median(samples[("uncached", "channel p.1")], "p50")
    lines += [
        "",
        f"deep channel page ({deep_page}) vs page 1, uncached p50: {deep / first:.2f}×",
        "queries: cold caches / warm (fragments, channel tree and list maps cached)",
        "article (10,000): each request a different article of 10,000 across the archive",
        f"this machine's bare WSGI is {bare / REFERENCE_BARE_WSGI:.0%} of the issue's reference "
        f"machine ({REFERENCE_BARE_WSGI:,} req/s)",
        "per gunicorn worker after 10,000 mixed requests, peak RSS (private now, PSS now): "
        + ", ".join(
            f"{mode} {rss:.0f} MiB ({private:.0f}, {pss:.0f})"
            for mode, (rss, private, pss) in memory.items()
        ),
        "pages: " + ", ".join(f"{name} {path}" for name, path in paths.items()),
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "suite.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
