"""/metrics on a real gunicorn with several workers: the whole server's figures, whichever
worker answers the scrape, and alert rules that name only metrics the endpoint serves."""

import re
import shutil
import subprocess
from http import HTTPStatus
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import ArticleFactory
from tests.scaleout.servers import ROOT, Browser, require

pytestmark = pytest.mark.scaleout

TOKEN = "scrape-token-for-tests"
PROMETHEUS = ROOT / "deploy" / "prometheus"


@pytest.fixture(scope="module")
def server(server_env, start_server):
    return start_server({**server_env, "WEB_CONCURRENCY": "3", "NEWSROOM_METRICS_TOKEN": TOKEN})


def families(server) -> list:
    answer = Browser().get(f"{server.origin}/metrics", Authorization=f"Bearer {TOKEN}")
    assert answer.status == HTTPStatus.OK, answer.text[:500]
    return list(text_string_to_metric_families(answer.text))


def scrape(server) -> dict[str, dict[tuple, float]]:
    """name: {labels: value} of every sample /metrics serves."""
    samples: dict[str, dict[tuple, float]] = {}
    for family in families(server):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


def requests_counted(samples) -> float:
    return sum(samples.get("newsroom_http_requests_total", {}).values())


def test_every_workers_requests_are_counted_in_one_scrape(server, transactional_db):
    article = ArticleFactory(title="泸溪椪柑上市")
    before = requests_counted(scrape(server))

    # New connections each time: gunicorn's workers share them out between themselves.
    answers = [Browser().get(f"{server.origin}{article.get_absolute_url()}") for _ in range(30)]
    scrapes = [requests_counted(scrape(server)) - before for _ in range(5)]

    assert {answer.status for answer in answers} == {HTTPStatus.OK}
    assert scrapes == [30] * 5  # each scrape, whichever worker takes it, sees all 30


def test_alert_rules_name_only_metrics_the_endpoint_serves(server, transactional_db):
    Browser().get(f"{server.origin}/")
    Browser().get(f"{server.origin}/admin/login/")
    # A family is served even while it has no samples (no replica to report on, say).
    served = {"up"}
    for family in families(server):
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}
        served |= {family.name + suffix for suffix in suffixes.get(family.type, [""])}
    rules = yaml.safe_load((PROMETHEUS / "newsroom-alerts.yml").read_text(encoding="utf-8"))

    named = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert {"alert", "expr", "labels", "annotations"} <= rule.keys(), rule
            named |= set(
                re.findall(r"\b(?:newsroom_\w+|up)\b(?=\s*[{\[)]|\s*[=<>!])", rule["expr"])
            )

    assert len(named) >= 8
    assert named <= served, f"rules name metrics /metrics does not serve: {named - served}"


def test_shipped_scrape_config_and_rules_are_valid():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    job = next(job for job in config["scrape_configs"] if job["job_name"] == "newsroom")
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["type"] == "Bearer"
    assert (PROMETHEUS / config["rule_files"][0]).exists()
    promtool = shutil.which("promtool")
    require(promtool is not None, "promtool is not installed (Debian: package prometheus)")
    checked = subprocess.run(
        [promtool, "check", "rules", str(Path(PROMETHEUS / "newsroom-alerts.yml"))],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
