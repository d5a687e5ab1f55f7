"""The review chain as data: the statuses, the review stages and the transition table.

This module is the content model's vocabulary of the desk: ``Article`` reads it (its status
field, its state label, its transition methods), the desk's rules (desk/workflow.py)
and buttons (desk/admin/desk.py) read the same rows. It imports nothing of the desk:
the desk registers the function that carries out each transition (``carries_out``), and
``Article.submit(by=...)`` and the rest ask for it by name (``carry_out``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from articles.models import Article


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    APPROVED = "approved", _("待发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤稿")
    KILLED = "killed", _("已撤销")


# --- Review stages --------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    permission: str


FIRST = Stage("first", _("初审"), "articles.review_first")
SECOND = Stage("second", _("复审"), "articles.review_second")
FINAL = Stage("final", _("终审"), "articles.review_final")
CHAINS = {1: [FINAL], 2: [FIRST, FINAL], 3: [FIRST, SECOND, FINAL]}


def review_levels(article: Article) -> int:
    """How many reviews the article needs: its channel's, its parent's, or the site's."""
    channel = article.channel
    for candidate in (channel, channel.parent if channel.parent_id else None):
        if candidate is not None and candidate.review_levels:
            return candidate.review_levels
    return settings.NEWSROOM_REVIEW_LEVELS


def chain(article: Article) -> list[Stage]:
    """The stages the article passes, in order."""
    return CHAINS[review_levels(article)]


def stage_of(article: Article) -> Stage:
    """The stage an article in review waits for."""
    return chain(article)[article.review_level - 1]


# --- The transition table -------------------------------------------------------------------

PUBLISH = "articles.publish_article"
# Publishing with a first-publication time in the past (a story that appeared elsewhere).
BACKDATE = "articles.backdate_article"
WITHDRAW = "articles.withdraw_article"


@dataclass(frozen=True)
class Move:
    """One transition: the ``Article`` method of that name takes it.

    ``sources``: the statuses it starts from (``wrong_status`` is the refusal when the story
    is in another, by default one naming its state); ``target``: where it ends (None: it
    stays, or the rules decide); ``permission``: what the person needs, within their
    channels (``duty`` names it in a refusal); ``blocked_as``: set when whatever stops a
    publication (``workflow.blockers``) stops this too, the word the refusal uses; ``takes``:
    what the person types beside the button; ``note_label`` and ``note_required`` (the refusal
    when the note is empty) describe the note; ``label`` is the button, ``done`` its outcome.
    """

    action: str
    label: Promise
    done: Promise
    sources: frozenset[str]
    target: str | None = None
    permission: str | None = None
    duty: Promise | None = None
    blocked_as: Promise | None = None
    takes: tuple[str, ...] = ()
    note_label: Promise | None = None
    note_required: Promise | None = None
    wrong_status: Promise | None = None


PUBLISHING, WITHDRAWING = _("发布稿件"), _("撤稿")
WORKING = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED})

TABLE = (
    Move("submit", _("送审"), _("稿件已送审。"), frozenset({Status.DRAFT}), Status.IN_REVIEW,
         blocked_as=pgettext_lazy("cannot yet", "送审")),
    Move("approve", _("审核通过"), _("已审核通过。"), frozenset({Status.IN_REVIEW}),
         blocked_as=pgettext_lazy("cannot yet", "通过审核"), takes=("note",),
         note_label=_("审核意见")),
    Move("reject", _("退回"), _("稿件已退回作者。"), frozenset({Status.IN_REVIEW}), Status.DRAFT,
         takes=("note",), note_label=_("退回意见"), note_required=_("退回稿件必须填写退回意见。")),
    Move("return_down", _("退回上一级"), _("稿件已退回上一级审核。"),
         frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.IN_REVIEW, takes=("note",),
         note_label=_("退回上一级的意见"), note_required=_("退回上一级必须填写意见。")),
    Move("publish", _("发布"), _("稿件已发布。"), frozenset({Status.APPROVED}), Status.PUBLISHED,
         PUBLISH, PUBLISHING, pgettext_lazy("cannot yet", "发布"), ("note", "at", "kind"),
         _("发布备注")),
    Move("hold", _("暂缓发布"), _("稿件已暂缓发布。"), frozenset({Status.APPROVED}),
         permission=PUBLISH, duty=PUBLISHING, takes=("note",), note_label=_("暂缓原因")),
    Move("release", _("解除暂缓"), _("已解除暂缓，稿件可以发布。"), frozenset({Status.APPROVED}),
         permission=PUBLISH, duty=PUBLISHING),
    Move("kill", _("撤销稿件（不再发布）"), _("稿件已撤销，不再发布。"),
         frozenset({Status.APPROVED}), Status.KILLED, WITHDRAW, WITHDRAWING, takes=("note",),
         note_label=_("撤销原因"), note_required=_("撤销稿件必须填写原因。")),
    Move("unschedule", _("取消定时"), _("已取消定时发布。"), frozenset({Status.PUBLISHED}),
         Status.APPROVED, PUBLISH, PUBLISHING,
         wrong_status=_("只有尚未上线的定时稿件可以取消定时。")),
    Move("withdraw", _("撤稿"), _("稿件已撤下。"), frozenset({Status.PUBLISHED}),
         Status.WITHDRAWN, WITHDRAW, WITHDRAWING, takes=("note",), note_label=_("撤稿原因"),
         note_required=_("撤稿必须填写原因。")),
    Move("reopen", _("恢复为草稿"), _("稿件已恢复为草稿。"),
         frozenset({Status.WITHDRAWN, Status.KILLED}), Status.DRAFT, WITHDRAW, WITHDRAWING),
    Move("start_revision", _("修改已发布稿件"),
         _("已创建修订稿：修改后送审，发布时替换线上版本。"), frozenset({Status.PUBLISHED})),
    Move("discard", _("丢弃修订稿"), _("修订稿已丢弃，线上版本不变。"), WORKING),
    Move("correct_directly", _("直接更正上线"), _("更正已上线。"), frozenset({Status.DRAFT}),
         Status.PUBLISHED, PUBLISH, PUBLISHING, pgettext_lazy("cannot yet", "发布"),
         ("note", "kind"), _("更正说明"), _("直接更正必须填写更正说明。")),
)  # fmt: skip
MOVES = {move.action: move for move in TABLE}


# --- Who carries the transitions out --------------------------------------------------------

_carriers: dict[str, Callable[..., Any]] = {}


def carries_out(action: str) -> Callable:
    """Register the function that takes ``action`` (or answers a question of that name)."""

    def register(function: Callable) -> Callable:
        _carriers[action] = function
        return function

    return register


def carry_out(action: str, article: Article, *args: Any, **kwargs: Any) -> Any:
    """Take ``action`` on the article through the registered desk function."""
    try:
        function = _carriers[action]
    except KeyError:
        message = f"Nothing carries out {action!r}: is the desk loaded?"
        raise ImproperlyConfigured(message) from None
    return function(article, *args, **kwargs)
