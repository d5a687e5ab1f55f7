"""The desk's queues: a list per step, counted and paged, only what the viewer can act on,
overdue and newest flagged, and each reporter's own stories in review."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from desk import queues
from tests.factories import ArticleFactory, ChannelFactory, EditorFactory, ImageFactory

pytestmark = pytest.mark.django_db


def submitted(desk, title: str, reviewers=(), **fields):
    article = ArticleFactory(draft=True, created_by=desk.writer, title=title, **fields)
    article.submit(by=desk.writer)
    for reviewer in reviewers:
        article.approve(by=reviewer)
    return article


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("admin:index")).content.decode()


def test_a_new_final_review_story_shows_behind_ten_first_review_ones(client, staff):
    for number in range(12):
        submitted(staff, f"初审稿{number:02d}")
    submitted(staff, "新到的终审稿", reviewers=[staff.editor, staff.managing])

    chief = home(client, staff.chief)
    editor = home(client, staff.editor)

    assert "终审（1）" in chief
    assert "新到的终审稿" in chief
    # The only 总编辑 must stay free for 终审: 初审 is not his to sign, so not on his desk.
    assert "初审（0）" in chief
    assert "初审（12）" in editor
    assert "查看全部 12 篇" in editor


def test_the_newest_arrival_is_shown_even_beyond_the_first_ten(client, staff):
    start = timezone.now() - timedelta(hours=12)
    for number in range(12):
        with time_machine.travel(start + timedelta(minutes=number), tick=False):
            submitted(staff, f"初审稿{number:02d}")

    html = home(client, staff.editor)

    assert "初审稿00" in html
    assert "初审稿10" not in html
    assert "最新到达" in html
    assert "初审稿11" in html


def test_a_queue_page_lists_every_item_in_pages(client, staff):
    start = timezone.now() - timedelta(hours=30)
    for number in range(25):
        with time_machine.travel(start + timedelta(minutes=number), tick=False):
            submitted(staff, f"初审稿{number:02d}")
    client.force_login(staff.editor)
    url = reverse("admin:articles_article_queue", args=["first"])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "共 25 篇" in first
    assert "初审稿00" in first
    assert "初审稿19" in first
    assert "初审稿20" not in first
    assert "初审稿20" in second
    assert "初审稿24" in second
    assert "第 2 / 2 页" in second


def test_an_unknown_queue_is_not_found(client, staff):
    client.force_login(staff.editor)

    response = client.get(reverse("admin:articles_article_queue", args=["everything"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_each_queue_shows_only_what_the_viewer_can_act_on(staff):
    tourism, news = ChannelFactory(name="旅游"), ChannelFactory(name="要闻")
    EditorFactory(user=staff.editor2).channels.add(news)
    submitted(staff, "旅游稿", channel=tourism)
    submitted(staff, "要闻稿", channel=news)
    submitted(staff, "到了复审的稿", reviewers=[staff.editor])

    editor = queues.waiting_for(staff.editor)
    editor2 = queues.waiting_for(staff.editor2)
    writer = queues.waiting_for(staff.writer)

    assert [item.article.title for item in editor["first"]] == ["旅游稿", "要闻稿"]
    assert editor["second"] == []
    assert editor["final"] == []
    assert [item.article.title for item in editor2["first"]] == ["要闻稿"]
    assert all(items == [] for items in writer.values())


def test_editors_see_no_final_review_box_on_the_dashboard(client, staff):
    submitted(staff, "到了终审的稿", reviewers=[staff.editor, staff.managing])

    html = home(client, staff.editor2)

    assert 'id="queue-first"' in html
    assert 'id="queue-final"' not in html
    assert "到了终审的稿" not in html


@pytest.mark.parametrize(
    ("setting", "late_at_first", "late_at_second"),
    [(24, False, False), ("2", True, True), ("24,初审=2", True, False), ("复审=2", False, True)],
)
def test_overdue_flags_follow_the_hours_of_each_step(
    staff, settings, setting, late_at_first, late_at_second
):
    settings.NEWSROOM_REVIEW_OVERDUE_HOURS = setting
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        submitted(staff, "等初审")
        submitted(staff, "等复审", reviewers=[staff.editor])

    first, second = queues.waiting_for(staff.editor2), queues.waiting_for(staff.managing)

    assert first["first"][0].overdue is late_at_first
    assert second["second"][0].overdue is late_at_second


def test_overdue_items_are_flagged_on_the_dashboard(client, staff, settings):
    settings.NEWSROOM_REVIEW_OVERDUE_HOURS = "初审=1"
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        submitted(staff, "压了两小时")
    submitted(staff, "刚送审")

    waiting = queues.waiting_for(staff.editor)["first"]
    html = home(client, staff.editor)

    assert [(item.article.title, item.overdue, item.newest) for item in waiting] == [
        ("压了两小时", True, False),
        ("刚送审", False, True),
    ]
    assert html.count("desk-flag--overdue") == 1
    assert html.count("desk-flag--new") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24", {"first": 24, "second": 24, "final": 24, "publish": 24}),
        ("初审=12,复审=24,终审=24", {"first": 12, "second": 24, "final": 24, "publish": 24}),
        ("8, final=4, 待发布=1.5", {"first": 8, "second": 8, "final": 4, "publish": 1.5}),
    ],
)
def test_overdue_hours_are_read_as_one_number_or_per_step(settings, value, expected):
    settings.NEWSROOM_REVIEW_OVERDUE_HOURS = value

    assert queues.overdue_hours() == expected


@pytest.mark.parametrize("value", ["一天", "三审=4", "初审=0", "初审=-2"])
def test_unreadable_overdue_hours_are_refused(settings, value):
    settings.NEWSROOM_REVIEW_OVERDUE_HOURS = value

    with pytest.raises(ValueError, match=r"step|number|more than 0"):
        queues.overdue_hours()


def test_a_reporter_sees_where_each_of_their_stories_is_and_who_holds_it(client, staff):
    submitted(staff, "等初审的稿件")
    submitted(staff, "等复审的稿件", reviewers=[staff.editor])
    ArticleFactory(draft=True, created_by=staff.editor2, title="别人的稿件").submit(
        by=staff.editor2
    )

    html = home(client, staff.writer)

    mine = html[html.index('id="queue-mine"') :]
    mine = mine[: mine.index("</table>")]
    assert "我的送审稿件（2）" in mine
    assert "等初审的稿件" in mine
    assert "初审中" in mine
    assert "经办：editor、editor2" in mine
    assert "等复审的稿件" in mine
    assert "复审中" in mine
    assert "经办：managing" in mine
    assert "别人的稿件" not in mine


def test_a_story_the_publisher_cannot_publish_yet_waits_for_them_with_the_reason(client, staff):
    photo = ImageFactory(alt_text="沅水两岸的椪柑")
    article = submitted(
        staff,
        "缺替代文字的稿件",
        reviewers=[staff.editor, staff.managing, staff.chief],
        cover_image=photo,
    )
    photo.alt_text = ""  # emptied in the photo library after the last review
    photo.save()

    publish = queues.waiting_for(staff.chief)["publish"]
    html = home(client, staff.chief)

    assert [item.article for item in publish] == [article]
    assert "以下图片缺少替代文字" in publish[0].blocked
    assert "缺替代文字的稿件" in html
    assert "以下图片缺少替代文字" in html
    assert queues.actors(article) == [staff.chief]


def test_the_dashboard_reads_in_english_too(client, staff):
    submitted(staff, "等初审的稿件")
    client.force_login(staff.editor)

    html = client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()

    assert "Waiting for me" in html
    assert "My stories in review (0)" in html
