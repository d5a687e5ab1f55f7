"""Eight desk members in eight processes race to approve, publish and withdraw the same
articles on PostgreSQL: each step happens once, is recorded once, and every loser gets a
clear refusal, never a crash or a deadlock."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article, Revision
from tests import factories
from tests.scaleout.conftest import database_url

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="racing needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
RACERS = 8


def racer(username: str, pks: list[int]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.articles.racer", username, *map(str, pks)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def awaiting_final_review(staff) -> list[Article]:
    """Three articles approved at 初审 and 复审, waiting for 终审."""
    articles = []
    for number in range(3):
        article = factories.ArticleFactory(
            draft=True, created_by=staff.writer, title=f"争抢发布的稿件{number}"
        )
        article.submit(by=staff.writer)
        article.approve(by=staff.editor, note="初审同意")
        article.approve(by=staff.managing, note="复审同意")
        articles.append(article)
    return articles


def test_racing_processes_take_each_step_once_and_losers_are_refused(awaiting_final_review):
    pks = [article.pk for article in awaiting_final_review]
    names = [factories.member("总编辑", f"racer{n}").username for n in range(RACERS)]
    processes = [racer(name, pks) for name in names]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()

    for process in processes:  # the start signal, as close together as pipes allow
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=120) for process in processes]

    for process, (_, errors) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, errors  # no crash, no deadlock
    attempts = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    assert len(attempts) == RACERS * len(pks) * 3
    wins = Counter((a["pk"], a["action"]) for a in attempts if a["refused"] is None)
    assert wins == Counter(
        {(pk, action): 1 for pk in pks for action in ("approve", "publish", "withdraw")}
    )
    refusals = [a["refused"] for a in attempts if a["refused"] is not None]
    assert len(refusals) == len(attempts) - len(wins)
    assert all("稿件当前状态为" in message for message in refusals)
    for pk in pks:
        article = Article.objects.get(pk=pk)
        steps = list(article.transitions.values_list("action", flat=True))
        assert steps == ["submit", "approve", "approve", "approve", "publish", "withdraw"]
        assert article.status == Article.Status.WITHDRAWN
        assert article.first_published_at is not None
        published = article.revisions.filter(reason=Revision.Reason.PUBLISHED)
        assert published.count() == 1
        assert published.get().content["title"] == article.title
