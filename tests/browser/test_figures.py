"""The 数据 page as a 主编 opens it: every chart drawn, the numbers beside it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleAuthor
from audience.models import HourlyReads
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def a_week_of_reads(staff) -> None:
    channel = factories.ChannelFactory(name="泸溪县", slug="luxixian")
    author = factories.AuthorFactory(name="向记者", user=staff.writer)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number in range(6):
        story = factories.ArticleFactory(
            title=f"椪柑丰收第{number}篇", channel=channel,
            first_published_at=now - timedelta(days=number, hours=3),
        )  # fmt: skip
        ArticleAuthor.objects.create(article=story, author=author, position=0)
        for hour in range(0, 24 * (number + 1), 5):
            HourlyReads.objects.create(
                article=story, channel=channel, hour=now - timedelta(hours=hour),
                reads=(number + 1) * 7 + hour % 11,
            )  # fmt: skip


def test_the_figures_page_draws_every_chart_for_a_managing_editor(
    browser, live_server, staff, screenshot_path
):
    a_week_of_reads(staff)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "managing")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/audience/hourlyreads/")
    page.wait_for_load_state("networkidle")
    widths = page.locator("img.figures__chart").evaluate_all(
        "images => images.map(image => image.complete ? image.naturalWidth : 0)"
    )
    top = page.locator("#table-top tbody tr").first.locator("td").all_inner_texts()
    page.screenshot(path=screenshot_path("figures-page"), full_page=True)
    context.close()

    assert len(widths) == 5
    assert all(width > 0 for width in widths), widths
    week = HourlyReads.objects.since(timezone.now() - timedelta(days=7))
    in_database = sum(week.filter(article__title=top[1]).values_list("reads", flat=True))
    assert top[3] == str(in_database)
