"""E-mail to the people who must act next on an article."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles import workflow


def next_actors(article) -> list:
    """Active users who may take the article's next step: review it, or publish it."""
    if article.status == workflow.IN_REVIEW:
        action, permission = "approve", workflow.stage_of(article).permission
    elif article.status == workflow.APPROVED:
        action, permission = "publish", "articles.publish_article"
    else:
        return []
    # Permissions come from groups and users (ModelBackend); the sign-in guard grants none.
    users = get_user_model().objects
    candidates = users.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
    candidates = candidates.filter(is_active=True)
    return [user for user in candidates if workflow.allowed(action, article, user)]


@task
def notify_reviewers(article_id: int) -> int:
    """Tell the next reviewers (or the publishers) that an article waits for them."""
    from articles.models import Article

    article = Article.objects.select_related("channel__parent").filter(pk=article_id).first()
    if article is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.NEWSROOM_SITE_URL + reverse(
            "admin:articles_article_change", args=[article.pk]
        )
        subject = _("【%(state)s】%(title)s") % {
            "state": article.state_label(),
            "title": article.title,
        }
        subject = " ".join(subject.split())  # a mail header is one line, whatever the title
        body = _("稿件《%(title)s》等待你处理：%(link)s") % {"title": article.title, "link": link}
    messages = [(subject, body, None, [user.email]) for user in next_actors(article) if user.email]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
