"""The desk inbox: an unread count on every admin page, one's own list, read on open,
all read at once."""

from http import HTTPStatus

import pytest
from django.template import Context, Template
from django.urls import reverse

from articles.models import Notification
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INBOX = "admin:articles_notification_changelist"


@pytest.fixture
def returned(staff, django_capture_on_commit_callbacks):
    """A story of the writer's returned at 初审: one notification for the writer."""
    article = ArticleFactory(draft=True, created_by=staff.writer, title="被退回的稿件")
    article.submit(by=staff.writer)
    with django_capture_on_commit_callbacks(execute=True):
        article.reject(by=staff.editor, note="请核实数字")
    return article


def unread_badge(html: str) -> str | None:
    """The number in the header's inbox link, or None when no badge is shown."""
    start = html.find('class="desk-inbox-count"')
    if start < 0:
        return None
    return html[html.index(">", start) + 1 : html.index("</span>", start)]


@pytest.mark.parametrize(
    "path",
    [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_schedule"),
        reverse(INBOX),
    ],
)
def test_the_unread_count_is_in_the_header_of_every_admin_page(client, staff, returned, path):
    client.force_login(staff.writer)

    html = client.get(path).content.decode()

    assert unread_badge(html) == "1"


@pytest.mark.parametrize("role", ["editor", "managing", "chief"])
def test_people_with_nothing_unread_see_the_inbox_link_without_a_count(
    client, staff, returned, role
):
    client.force_login(getattr(staff, role))

    html = client.get(reverse("admin:index")).content.decode()

    assert 'class="desk-inbox-link"' in html
    assert unread_badge(html) is None


@pytest.mark.parametrize("role", ["writer", "editor", "managing", "chief"])
def test_each_role_sees_only_their_own_notifications(client, staff, returned, role):
    for user in (staff.editor, staff.managing, staff.chief):
        Notification.objects.create(
            user=user, article=returned, kind="other", text=f"给{user.username}的通知"
        )
    user = getattr(staff, role)
    client.force_login(user)

    response = client.get(reverse(INBOX))

    assert response.status_code == HTTPStatus.OK
    shown = list(response.context["cl"].result_list)
    assert shown == list(Notification.objects.filter(user=user))
    assert len(shown) == 1


def test_opening_a_notification_marks_it_read_and_leads_to_the_story(client, staff, returned):
    notification = Notification.objects.get(user=staff.writer)
    client.force_login(staff.writer)

    response = client.get(notification.get_absolute_url())

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:articles_article_change", args=[returned.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_badge(client.get(reverse("admin:index")).content.decode()) is None


def test_nobody_opens_another_persons_notification(client, staff, returned):
    notification = Notification.objects.get(user=staff.writer)
    client.force_login(staff.chief)

    response = client.get(notification.get_absolute_url())

    assert response.status_code == HTTPStatus.NOT_FOUND
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_my_notifications(client, staff, returned):
    Notification.objects.create(user=staff.writer, article=returned, kind="other", text="第二条")
    theirs = Notification.objects.create(
        user=staff.chief, article=returned, kind="other", text="总编辑的"
    )
    client.force_login(staff.writer)

    refused = client.get(reverse("admin:articles_notification_read_all"))
    response = client.post(reverse("admin:articles_notification_read_all"), follow=True)

    assert refused.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "2 条通知已标为已读。" in response.content.decode()
    assert not Notification.objects.filter(user=staff.writer, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_filter_lists_only_unread_ones(client, staff, returned):
    Notification.objects.create(
        user=staff.writer,
        article=returned,
        kind="other",
        text="已读的一条",
        read_at=returned.updated_at,
    )
    client.force_login(staff.writer)

    unread = client.get(reverse(INBOX), {"read": "no"}).content.decode()

    assert "被退回的稿件" in unread
    assert "已读的一条" not in unread


def test_nobody_adds_or_changes_a_notification_in_the_admin(client, staff, returned):
    notification = Notification.objects.get(user=staff.writer)
    client.force_login(staff.writer)

    add = client.get(reverse("admin:articles_notification_add"))
    change = client.post(
        reverse("admin:articles_notification_change", args=[notification.pk]), {"text": "改"}
    )

    assert add.status_code == HTTPStatus.FORBIDDEN
    notification.refresh_from_db()
    assert notification.text != "改"
    assert change.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)


def test_the_unread_count_costs_one_query(staff, returned, django_assert_num_queries):
    template = Template("{% load desk %}{% inbox_link user %}")

    with django_assert_num_queries(1):
        html = template.render(Context({"user": staff.writer}))

    assert unread_badge(html) == "1"
