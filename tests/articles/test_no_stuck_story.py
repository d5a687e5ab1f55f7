"""No stuck story: a model-based test of the review chain (Hypothesis ``RuleBasedStateMachine``).

A small desk, no superuser: a 通讯员, two 编辑 (one limited to 时政), a 主编 and a 总编辑.
Stories are written by the 通讯员, the unlimited 编辑 or the 主编, in channels of one
(快讯), two (旅游) and three (时政) review levels. Every step is one action by one member of
the desk, drawn at random among those the engine allows at that moment (a random walk over
the enabled transitions: submit, approve, reject, return down, edit in review or as a
draft, publish, schedule, hold, release, kill, withdraw, reopen, start a correction,
discard a correction, unschedule); an allowed action must succeed. Other steps try an
action the engine does not allow: it must raise ``TransitionError`` and change nothing.

After every step, every unfinished story (draft, in review, approved; working copies
included) must have a desk member (never a superuser) the engine allows to move it on or
back, and a story in review or approved must have one who can move it *on*: approve it,
publish it or release its hold. (The stories carry no photos and no reprint fields, so
nothing but people can stop them.)

Per run: ``EXAMPLES`` (10) random sequences of up to ``STEPS`` (25) steps, each over up to
``STORIES`` (4) stories plus the working copies opened on them: at most 250 steps and
about 40 stories in all, the invariant checked after each step. Each sequence runs in a
savepoint that is rolled back afterwards. Run deeper (150 sequences of 40 steps), it
found that a 总编辑 returning a story from 复审 to 初审 left nobody for 终审. With the rule
that keeps a senior from signing a lower level when nobody else is left above switched
off, it finds the 3-level deadlock (a 总编辑 signs 初审, the 主编 复审, and nobody is left
for 终审) in three steps.
"""

import os
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from articles.models import Article
from desk import workflow
from tests.factories import ArticleFactory, ChannelFactory, EditorFactory, member

pytestmark = pytest.mark.django_db

# A deeper search: NEWSROOM_STUCK_EXAMPLES=150 NEWSROOM_STUCK_STEPS=40 (about five minutes).
EXAMPLES = int(os.environ.get("NEWSROOM_STUCK_EXAMPLES", "10"))
STEPS = int(os.environ.get("NEWSROOM_STUCK_STEPS", "25"))
STORIES = 4
PEOPLE = ["writer", "editor_limited", "editor", "managing", "chief"]
WRITERS = ["writer", "editor", "managing"]
CHANNELS = {"kuaixun": 1, "lvyou": 2, "shizheng": 3}
ACTIONS = [
    "submit", "approve", "reject", "return_down", "edit", "publish", "schedule", "hold",
    "release", "kill", "withdraw", "reopen", "start_revision", "discard", "unschedule",
]  # fmt: skip
NOTE = "请核实"
ON = {
    Article.Status.IN_REVIEW: ["approve"],
    Article.Status.APPROVED: ["publish", "release"],
}
BACK = {
    Article.Status.DRAFT: ["submit", "discard"],
    Article.Status.IN_REVIEW: ["reject", "return_down", "discard"],
    Article.Status.APPROVED: ["return_down", "kill", "discard"],
}


def take(action: str, article: Article, user) -> None:
    """Run one transition as the admin would."""
    calls = {
        "submit": lambda: article.submit(by=user),
        "approve": lambda: article.approve(by=user, note=NOTE),
        "reject": lambda: article.reject(by=user, note=NOTE),
        "return_down": lambda: article.return_down(by=user, note=NOTE),
        "publish": lambda: article.publish(by=user),
        "schedule": lambda: article.publish(by=user, at=timezone.now() + timedelta(days=1)),
        "hold": lambda: article.hold(by=user, note=NOTE),
        "release": lambda: article.release(by=user),
        "kill": lambda: article.kill(by=user, note=NOTE),
        "withdraw": lambda: article.withdraw(by=user, note=NOTE),
        "reopen": lambda: article.reopen(by=user),
        "start_revision": lambda: article.start_revision(by=user),
        "discard": lambda: article.discard(by=user),
        "unschedule": lambda: article.unschedule(by=user),
    }
    calls[action]()


def row_state(pk: int) -> tuple | None:
    return Article.objects.filter(pk=pk).values_list("status", "review_level", "on_hold").first()


class ReviewDesk(RuleBasedStateMachine):
    """The desk, its stories, and the engine's promise that none of them gets stuck."""

    @initialize()
    def open_desk(self) -> None:
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.people = {
            "writer": member("通讯员/记者", "m-writer"),
            "editor_limited": member("编辑", "m-editor-limited"),
            "editor": member("编辑", "m-editor"),
            "managing": member("主编", "m-managing"),
            "chief": member("总编辑", "m-chief"),
        }
        self.channels = {
            slug: ChannelFactory(slug=f"m-{slug}", review_levels=levels)
            for slug, levels in CHANNELS.items()
        }
        limits = EditorFactory(user=self.people["editor_limited"])
        limits.channels.set([self.channels["shizheng"]])
        self.stories: list[int] = []
        self.edits = 0

    def teardown(self) -> None:
        if hasattr(self, "savepoint"):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    @precondition(lambda self: len(self.stories) < STORIES)
    @rule(author=st.sampled_from(WRITERS), channel=st.sampled_from(sorted(CHANNELS)))
    def write(self, author: str, channel: str) -> None:
        article = ArticleFactory(
            draft=True, created_by=self.people[author], channel=self.channels[channel]
        )
        self.stories.append(article.pk)

    @precondition(lambda self: self.stories)
    @rule(index=st.integers(min_value=0, max_value=STORIES * 2), choice=st.integers(0, 999))
    def act(self, index: int, choice: int) -> None:
        """Someone takes one of the actions the engine allows them on a story."""
        article = self.story(index)
        enabled = [
            (who, action)
            for who, user in self.people.items()
            for action in ACTIONS
            if self.enabled(action, article, user)
        ]
        if not enabled:
            return
        who, action = enabled[choice % len(enabled)]
        user = self.people[who]
        if action == "edit":
            self.edit(article, user)
            return
        take(action, article, user)
        if action == "start_revision":
            self.stories.append(article.working_copies.get().pk)

    @precondition(lambda self: self.stories)
    @rule(
        index=st.integers(min_value=0, max_value=STORIES * 2),
        who=st.sampled_from(PEOPLE),
        action=st.sampled_from([action for action in ACTIONS if action != "edit"]),
    )
    def try_refused(self, index: int, who: str, action: str) -> None:
        """An action the engine does not allow is refused and changes nothing."""
        article, user = self.story(index), self.people[who]
        if self.enabled(action, article, user):
            return
        before = row_state(article.pk)
        with pytest.raises(workflow.TransitionError):
            take(action, article, user)
        assert row_state(article.pk) == before

    def story(self, index: int) -> Article:
        self.stories = [pk for pk in self.stories if Article.objects.filter(pk=pk).exists()]
        return Article.objects.get(pk=self.stories[index % len(self.stories)])

    def enabled(self, action: str, article: Article, user) -> bool:
        if action == "edit":
            return article.can_be_edited_by(user)
        if action == "schedule":
            # A working copy goes live at once: its publishing is the "publish" action.
            return article.revision_of_id is None and workflow.allowed("publish", article, user)
        return workflow.allowed(action, article, user)

    def edit(self, article: Article, user) -> None:
        """A save through the change form: only by those who may edit it now."""
        if not article.can_be_edited_by(user):
            return
        level = article.review_level
        self.edits += 1
        article.title = f"{article.title[:40]}（改{self.edits}）"
        article.save()
        workflow.saved(article, by=user)
        article.refresh_from_db()
        assert article.review_level == level

    @invariant()
    def every_unfinished_story_can_move(self) -> None:
        if not hasattr(self, "people"):
            return
        unfinished = Article.objects.filter(
            status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.APPROVED]
        ).select_related("channel__parent", "revision_of")
        for article in unfinished:
            people = self.people.values()
            forward = ON.get(article.status, [])
            if forward:
                assert any(
                    workflow.allowed(action, article, user)
                    for user in people
                    for action in forward
                ), f"nobody can move {article.state_label()} 《{article.title}》 on"
            assert any(
                article.can_be_edited_by(user)
                or any(workflow.allowed(a, article, user) for a in forward + BACK[article.status])
                for user in people
            ), f"nobody can move {article.state_label()} 《{article.title}》 on or back"


def test_no_story_is_ever_stuck():
    run_state_machine_as_test(
        ReviewDesk,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
