"""What the desk reads of an article's review: the 审稿单, the 稿签 and earlier opinions.

Rounds are numbered from the record itself: each 送审 opens the next round. The stored
``Transition.round`` is the counter of the row that was submitted, and a working copy of a
live article starts its own counter, so every correction would read as round 1 again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from articles.models.history import Transition
from articles.transitions import CHAINS

if TYPE_CHECKING:
    from articles.models import Article

STAGE_NAMES = {stage.key: stage.name for stages in CHAINS.values() for stage in stages}
# The steps that sign a level of the chain.
SIGNING = (Transition.Action.APPROVE, Transition.Action.REJECT)
# The steps that put the content of a round live.
GOING_LIVE = (Transition.Action.PUBLISH, Transition.Action.SCHEDULE, Transition.Action.CORRECT)


@dataclass
class Step:
    """One Transition with its true round number and the name of its level."""

    transition: Transition
    round: int

    @property
    def stage_name(self) -> str:
        return str(STAGE_NAMES.get(self.transition.stage, ""))


@dataclass
class Round:
    number: int
    steps: list[Step] = field(default_factory=list)

    @property
    def on_working_copy(self) -> bool:
        return any(step.transition.on_working_copy for step in self.steps)

    @property
    def went_live(self) -> bool:
        return any(step.transition.action in GOING_LIVE for step in self.steps)


@dataclass
class Signature:
    """One level's signature on the 稿签: who, what they wrote, when."""

    stage_name: str
    actor_name: str
    note: str
    at: datetime | None


def steps(live: Article) -> list[Step]:
    """Every step of the article's review, oldest first, each with its true round."""
    numbered, current = [], 0
    for transition in live.transitions.all():
        if transition.action == Transition.Action.SUBMIT:
            current += 1
        numbered.append(Step(transition, current))
    return numbered


def rounds(live: Article) -> list[Round]:
    """The steps grouped by round, oldest round first (round 0: steps before any 送审)."""
    grouped: list[Round] = []
    for step in steps(live):
        if not grouped or grouped[-1].number != step.round:
            grouped.append(Round(step.round))
        grouped[-1].steps.append(step)
    return grouped


def signatures(live: Article, levels: int, *, latest: bool = False) -> list[Signature]:
    """Each level's latest signature in the round that last put the story live (or in the
    latest round: while it never went live, or when asked); a level not signed is empty."""
    found = rounds(live)
    last = found[-1] if found else None
    chosen = last if latest else next((r for r in reversed(found) if r.went_live), last)
    signed = {}
    for step in chosen.steps if chosen else []:
        if step.transition.action in SIGNING:
            signed[step.transition.stage] = step.transition
    return [
        Signature(
            str(stage.name),
            signed[stage.key].actor_name if stage.key in signed else "",
            signed[stage.key].note if stage.key in signed else "",
            signed[stage.key].at if stage.key in signed else None,
        )
        for stage in CHAINS[levels]
    ]


def author_line(article: Article) -> str:
    """The credited authors (with their role for this story), or the custom byline."""
    credits = article.credits.select_related("author")
    names = [f"{credit.role_label()} {credit.author.name}" for credit in credits]
    return "、".join(names) or article.byline_override or _("（未署名）")
