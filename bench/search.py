"""The search benchmark: readers' varied queries against an archive, page cache off.

Usage: python bench/search.py [--database URL] [--seconds 10] [--rounds 3]
                              [--connections 16] [--workers 2]

Starts gunicorn (sync workers, the page cache off, so every search is built from the
database) against a PostgreSQL database that already holds the articles and their search
index (by default the benchmark database of bench/suite.py, BENCH_DATABASE_URL), and loads
it with wrk walking a mix of queries: common words (in about half of all stories), rare
words, names, two-word queries, traditional characters and pinyin. Prints requests/s,
p50 and p99 of the mix (the median of the rounds), the same for the mix asked as searches
never made before (no kept ranking answers them), each query's result count, and the size
of the search index beside the articles table (pg_total_relation_size). Results are also
written to bench/results/search.txt.

Targets (issue 21): ≥ 150 req/s, p99 < 250 ms, index ≤ 2× the articles table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_mix import QUERIES, search_path  # noqa: E402
from bench.suite import DEFAULT_DATABASE, environment, manage, mixed_script, wrk  # noqa: E402
from tests.scaleout.servers import AppServer  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def sizes(env: dict[str, str]) -> dict[str, int]:
    code = (
        "import json; from django.db import connection; c = connection.cursor();"
        "c.execute(\"SELECT pg_total_relation_size('articles_article'),"
        " pg_total_relation_size('articles_searchentry')\");"
        "a, s = c.fetchone(); print(json.dumps({'articles': a, 'index': s}))"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def result_counts(env: dict[str, str]) -> dict[str, str]:
    """Each query's status, result count and SQL queries, as one reader would see them."""
    code = (
        "import json, re\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "client, out, seen = Client(HTTP_HOST='127.0.0.1'), {}, []\n"
        "def count(execute, sql, params, many, context):\n"
        "    seen.append(sql)\n"
        "    return execute(sql, params, many, context)\n"
        f"for q in {[q for _, q in QUERIES]!r}:\n"
        "    client.get('/search/?q=' + q)\n"
        "    seen.clear()\n"
        "    with connection.execute_wrapper(count):\n"
        "        response = client.get('/search/', {'q': q})\n"
        "    text = response.content.decode()\n"
        "    found = re.search(r'(?:共找到|其中最新的) (\\d+) 篇', text)\n"
        '    out[q] = f"{response.status_code} {found[1] if found else 0} {len(seen)}"\n'
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    env = {**env, "NEWSROOM_PAGE_CACHE_SECONDS": "0"}
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing (see docs/performance.md, the benchmark)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-search-"))
    env = environment(args.database or DEFAULT_DATABASE, workdir / "static")
    manage(env, "collectstatic", "--noinput")
    counts = result_counts(env)
    size = sizes(env)
    server = AppServer(
        {**env, "WEB_CONCURRENCY": str(args.workers), "NEWSROOM_PAGE_CACHE_SECONDS": "0"},
        workdir / "search.log",
    )
    paths = [search_path(q) for _, q in QUERIES]
    script = mixed_script(workdir, paths, "search")
    fresh = fresh_script(workdir, paths)
    runs, fresh_runs = [], []
    try:
        server.start()
        wrk(f"{server.origin}/", 2, args.connections, script)  # warm up
        for number in range(1, args.rounds + 1):
            print(f"Round {number} of {args.rounds} ...", flush=True)
            runs.append(wrk(f"{server.origin}/", args.seconds, args.connections, script))
            fresh_runs.append(wrk(f"{server.origin}/", args.seconds, args.connections, fresh))
    finally:
        server.stop()
    report(args, runs, fresh_runs, counts, size)


def fresh_script(workdir: Path, paths: list[str]) -> Path:
    """A wrk script asking the mix's queries as searches never made before: each with a
    different start date from before the archive (1990-2019), so the results are the same
    but no ranking kept from an earlier search answers it."""
    script = workdir / "search-fresh.lua"
    listing = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{{listing}}}\n"
        'math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))\n'
        "local base = os.time({year = 1990, month = 1, day = 1, hour = 12})\n"
        "request = function()\n"
        "  local day = os.date('%Y-%m-%d', base + math.random(0, 10956) * 86400)\n"
        "  return wrk.format('GET', paths[math.random(#paths)] .. '&date_from=' .. day)\n"
        "end\n",
        encoding="utf-8",
    )
    return script


def report(
    args, runs: list[dict], fresh: list[dict], counts: dict[str, str], size: dict[str, int]
) -> None:
    def median(key: str, runs: list[dict] = runs) -> float:
        return statistics.median(run[key] for run in runs)

    mib = 1024 * 1024
    lines = [
        f"Newsroom search benchmark — {args.workers} sync gunicorn workers, page cache off, "
        f"wrk -t2 -c{args.connections}, {args.rounds} rounds of {args.seconds} s, medians; "
        f"{time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"query mix ({len(QUERIES)} queries): {median('rps'):.0f} req/s, "
        f"p50 {median('p50'):.1f} ms, p99 {median('p99'):.1f} ms, "
        f"non-2xx {sum(run['bad'] for run in runs)}",
        f"the same, never searched before: {median('rps', fresh):.0f} req/s, "
        f"p50 {median('p50', fresh):.1f} ms, p99 {median('p99', fresh):.1f} ms, "
        f"non-2xx {sum(run['bad'] for run in fresh)}",
        f"search index {size['index'] / mib:.0f} MiB, articles table {size['articles'] / mib:.0f}"
        f" MiB: {size['index'] / size['articles']:.2f}×",
        "",
        f"{'kind':12} {'query':12} {'status':>6} {'results':>8} {'queries':>8}",
    ]
    for kind, query in QUERIES:
        status, found, queries = counts[query].split()
        lines.append(f"{kind:12} {query:12} {status:>6} {found:>8} {queries:>8}")
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
