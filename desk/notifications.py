"""Telling people about articles: the next reviewers, and the author of every decision.

Each message goes to the in-admin inbox (``Notification``) and, where the person has an
address, by mail, with an absolute link to the article in the admin. Both run as tasks
after the transition has committed, so a refused or rolled-back step tells nobody.

A task may run twice (its worker died, ops/tasks.py): whoever already has the message
since the step it tells of is not told again, in the inbox or by mail. A run cut short
between the inbox and the mail leaves that mail unsent, rather than sent twice.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Notification, Transition
from articles.transitions import CHAINS
from desk import queues
from website import site

Kind = Notification.Kind
Action = Transition.Action


def one_line(text: str) -> str:
    """Text fit for a mail subject: no line breaks (they would make it a broken header)."""
    return " ".join(text.split())


def deliver(people, article: Article, kind: str, text: str, since: datetime) -> int:
    """Put the message in each person's inbox and mail it to those with an address, but
    not to those who already got it ``since`` (the step it tells of).

    Returns the number of mails sent.
    """
    text = Truncator(one_line(text)).chars(500)
    given = Notification.objects.filter(article=article, kind=kind, text=text)
    given = set(given.filter(created_at__gte=since).values_list("user", flat=True))
    people = [user for user in people if user.pk not in given]
    if not people:
        return 0
    Notification.objects.bulk_create(
        Notification(user=user, article=article, kind=kind, text=text) for user in people
    )
    link = site.link(reverse("admin:articles_article_change", args=[article.pk]))
    subject = _("【%(what)s】%(title)s") % {
        "what": Kind(kind).label,
        "title": Truncator(one_line(article.title)).chars(80),
    }
    body = f"{text}\n\n{link}\n"
    mails = [(subject, body, None, [user.email]) for user in people if user.email]
    return send_mass_mail(mails, fail_silently=False) if mails else 0


@task
def notify_reviewers(article_id: int) -> int:
    """Tell the people whose turn it is (reviewers at the article's level, or the
    publishers) that an article waits for them."""
    article = Article.objects.select_related("channel__parent", "revision_of")
    article = article.filter(pk=article_id).first()
    if article is None or (step := queues.step_of(article)) is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        title = one_line(article.title)
        if step == queues.PUBLISH:
            kind, text = Kind.TO_PUBLISH, _("稿件《%(title)s》已通过终审，等待你发布。")
        else:
            kind, text = Kind.TO_REVIEW, _("稿件《%(title)s》等待你%(stage)s。")
        text %= {"title": title, "stage": queues.STEPS[step]}
        return deliver(queues.actors(article), article, kind, text, article.updated_at)


def authors(step: Transition) -> list:
    """Who wrote the story: its creator, credited authors with an account, and whoever
    opened the correction being decided on; never the person who took the step."""
    live = step.article
    ids = {live.created_by_id}
    ids |= set(live.credits.exclude(author__user=None).values_list("author__user", flat=True))
    if step.on_working_copy:
        opened = live.transitions.filter(action=Action.REVISE, at__lte=step.at).last()
        ids.add(opened.actor_id if opened else None)
    ids -= {None, step.actor_id}
    people = get_user_model().objects.filter(pk__in=ids, is_active=True)
    return list(people.order_by("pk"))


def decision(step: Transition) -> tuple[str, str] | None:
    """What to tell the author of a step (kind and text), or None for their own steps."""
    if step.action in (Action.SUBMIT, Action.REVISE):
        return None
    names = {stage.key: stage.name for stage in CHAINS[3]}
    values = {
        "title": one_line(step.article.title),
        "actor": step.actor_name,
        "stage": names.get(step.stage, ""),
        "note": one_line(step.note),
        "action": step.get_action_display(),
    }
    correction = step.on_working_copy and step.action in (Action.PUBLISH, Action.CORRECT)
    if correction:
        kind, text = Kind.CORRECTED, _("《%(title)s》的更正已发布（%(actor)s）。")
    elif step.action == Action.SCHEDULE:
        moment = timezone.localtime(step.article.first_published_at)
        values["time"] = moment.strftime("%Y-%m-%d %H:%M")
        kind, text = Kind.SCHEDULED, _("《%(title)s》将于 %(time)s 定时发布（%(actor)s）。")
    else:
        kind, text = MESSAGES.get(step.action, OTHER)
    text = str(text) % values
    if step.note and step.action not in NOTE_IN_TEXT:
        label = _("更正说明：%(note)s") if correction else _("意见：%(note)s")
        text += label % values
    return kind, text


MESSAGES = {
    Action.APPROVE: (Kind.APPROVED, gettext_lazy("《%(title)s》已通过%(stage)s（%(actor)s）。")),
    Action.REJECT: (
        Kind.RETURNED,
        gettext_lazy("《%(title)s》在%(stage)s被退回（%(actor)s）。退回意见：%(note)s"),
    ),
    Action.PUBLISH: (Kind.PUBLISHED, gettext_lazy("《%(title)s》已发布（%(actor)s）。")),
    Action.UNSCHEDULE: (
        Kind.UNSCHEDULED,
        gettext_lazy("《%(title)s》已取消定时发布（%(actor)s）。"),
    ),
    Action.WITHDRAW: (
        Kind.WITHDRAWN,
        gettext_lazy("《%(title)s》已撤稿（%(actor)s）。撤稿原因：%(note)s"),
    ),
    Action.REOPEN: (Kind.REOPENED, gettext_lazy("《%(title)s》已恢复为草稿（%(actor)s）。")),
}
# Any other step the engine takes (hold, kill, return one level down ...) is still told.
OTHER = (Kind.OTHER, gettext_lazy("《%(title)s》：%(action)s（%(actor)s）。"))
# Steps whose text already carries the note.
NOTE_IN_TEXT = {Action.REJECT, Action.WITHDRAW}


@task
def notify_authors(transition_id: int) -> int:
    """Tell the author of a story about a decision on it (a step someone else took)."""
    step = Transition.objects.select_related("article", "actor").filter(pk=transition_id).first()
    if step is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        told = decision(step)
        if told is None:
            return 0
        return deliver(authors(step), step.article, *told, since=step.at)
