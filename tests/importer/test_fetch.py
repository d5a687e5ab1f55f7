"""A list of old URLs, fetched politely from a server of the sample pages: robots.txt
obeyed, a failing answer retried, and nothing fetched twice across runs."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from time import monotonic

import pytest
from django.core.management import call_command

from articles.models import Article
from importer import profile as profiles
from importer.fetch import Fetcher
from importer.run import run
from importer.sources import UrlListSource

pytestmark = pytest.mark.django_db


class OldSite(SimpleHTTPRequestHandler):
    """Serves the sample site; counts requests; the first request for a flaky path fails."""

    requests: list[str]
    flaky: set[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path in self.flaky:
            self.flaky.discard(self.path)
            self.send_error(503)
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(site: Path):
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /content/2023/03/\n")
    handler = partial(OldSite, directory=str(site))
    OldSite.requests, OldSite.flaky = [], {"/content/2022/05/03/1215.html"}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def url_list(server: str, tmp_path: Path) -> Path:
    paths = [
        "/content/2022/04/27/1201.html",
        "/content/2022/05/03/1215.html",
        "/content/2023/03/12/1560.html",
        "/content/2099/01/01/1.html",
        "/about.html",
    ]
    listing = tmp_path / "urls.txt"
    listing.write_text("# the old site\n" + "".join(f"{server}{p}\n" for p in paths))
    return listing


def test_a_list_of_urls_is_fetched_politely_and_imported(url_list, tmp_path, chief):
    fetcher = Fetcher(tmp_path / "cache", delay=0, retries=2)
    summary = run(UrlListSource(url_list, fetcher), profiles.load(), user=chief)
    assert set(Article.objects.values_list("pk", flat=True)) == {1201, 1215}
    reasons = sorted(why for _url, why in summary.skipped)
    assert any(why.startswith("robots.txt 不允许抓取") for why in reasons)
    assert any(why.endswith("返回 HTTP 404") for why in reasons)
    assert "不是文章页：没有找到正文。" in reasons
    # The 503 was tried again; the photos came from the same server.
    assert OldSite.requests.count("/content/2022/05/03/1215.html") == 2
    assert "/uploads/2022/04/ponkan-hill.jpg" in OldSite.requests
    assert "/content/2023/03/12/1560.html" not in OldSite.requests


def test_a_second_run_fetches_nothing_twice(url_list, tmp_path, chief):
    run(UrlListSource(url_list, Fetcher(tmp_path / "cache", delay=0)), profiles.load(), user=chief)
    fetched = len(OldSite.requests)
    again = Fetcher(tmp_path / "cache", delay=0)
    summary = run(UrlListSource(url_list, again), profiles.load(), user=chief)
    assert again.requests == 0
    assert len(OldSite.requests) == fetched
    assert summary.unchanged == 2


def test_requests_to_one_host_are_paced(server, tmp_path):
    fetcher = Fetcher(tmp_path / "cache", delay=0.2)
    waits = []
    fetcher.request = lambda url, original=fetcher.request: (waits.append(url), original(url))[1]
    started = monotonic()
    for path in ("/about.html", "/channel/xiangxi/index.html"):
        fetcher.get(server + path)
    # robots.txt, then two pages: two pauses of at least the delay.
    assert monotonic() - started >= 0.4
    assert len(waits) == 3


def test_the_command_prints_a_summary_and_writes_the_report(url_list, tmp_path, chief):
    report = tmp_path / "run.csv"
    out = StringIO()
    call_command("import_pages", str(url_list), user="chief", report=str(report),
                 cache=str(tmp_path / "cache"), delay=0, verbosity=0, stdout=out)  # fmt: skip
    assert "新建 2 篇" in out.getvalue()
    assert "跳过 3 页" in out.getvalue()
    assert "robots.txt" in report.read_text(encoding="utf-8-sig")
