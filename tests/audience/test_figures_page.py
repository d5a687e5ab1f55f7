"""The 数据 page: charts whose tables are the database's numbers, each person seeing the
figures of their own scope, and exports carrying the same numbers."""

import csv
import io
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from articles.models import ArticleAuthor
from audience.models import HourlyReads
from tests import factories

pytestmark = pytest.mark.django_db

NOW = factories.beijing(2026, 3, 20, 10, 30)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(staff, county_channel):
    """Stories in two channels with reads; the writer credited on one of them."""
    other = factories.ChannelFactory(name="社会", slug="shehui")
    author = factories.AuthorFactory(name="向记者", user=staff.writer)
    editor = factories.EditorFactory(user=staff.editor, display_name="田编辑")
    published = NOW - timedelta(days=3)
    mine = factories.ArticleFactory(
        title="椪柑丰收", channel=county_channel, first_published_at=published, editor=editor,
        body='<p>沅水两岸abc</p><figure data-photo="1"><img src="x.jpg" alt=""></figure>',
    )  # fmt: skip
    ArticleAuthor.objects.create(article=mine, author=author, position=0)
    theirs = factories.ArticleFactory(
        title="街头新闻", channel=other, first_published_at=published
    )
    hour = published.replace(minute=0)
    for offset, (a, b) in enumerate([(5, 7), (11, 2), (3, 0)]):
        at = hour + timedelta(hours=offset)
        HourlyReads.objects.create(article=mine, channel=mine.channel, hour=at, reads=a)
        if b:
            HourlyReads.objects.create(article=theirs, channel=other, hour=at, reads=b)
    return {"mine": mine, "theirs": theirs, "other": other}


def table(page: str, name: str) -> list[list[str]]:
    """The rows of one of the page's tables, as text."""
    found = re.search(rf'<table id="table-{name}">(.*?)</table>', page, re.S)
    assert found, name
    body = found[1].split("<tbody>")[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def test_the_tables_are_the_databases_numbers(client, staff, desk):
    client.force_login(staff.managing)
    page = client.get("/admin/audience/hourlyreads/").content.decode()

    day = timezone.localdate(desk["mine"].first_published_at).isoformat()
    reads = {row[0]: row for row in table(page, "reads")}
    total = HourlyReads.objects.aggregate(n=Sum("reads"))["n"]
    assert reads[day][-1] == str(total) == "28"
    assert table(page, "top") == [
        [str(desk["mine"].pk), "椪柑丰收", "泸溪县", "19"],
        [str(desk["theirs"].pk), "街头新闻", "社会", "9"],
    ]
    assert [row[2] for row in table(page, "story")] == ["5", "11", "3"]


def test_workload_counts_stories_characters_and_photos_per_reporter_and_editor(
    client, staff, desk
):
    client.force_login(staff.chief)
    page = client.get("/admin/audience/hourlyreads/?month=2026-03").content.decode()
    rows = table(page, "workload")
    assert ["记者", "向记者", "泸溪县", "1", "5", "1", "0"] in rows
    assert ["编辑", "田编辑", "泸溪县", "1", "5", "1", "0"] in rows


def test_review_turnaround_per_level_median_and_90th_percentile(client, staff, desk):
    from articles.models import Transition

    story = desk["mine"]
    for hours, level in [(0, 0), (2, 1), (5, 2), (9, 3)]:
        action = Transition.Action.SUBMIT if level == 0 else Transition.Action.APPROVE
        step = Transition.objects.create(
            article=story, action=action, from_status="a", to_status="b", level=level,
            round=1, actor=staff.chief, actor_name="chief",
        )  # fmt: skip
        Transition.objects.filter(pk=step.pk).update(at=NOW - timedelta(days=1, hours=-hours))
    client.force_login(staff.chief)
    page = client.get("/admin/audience/hourlyreads/").content.decode()
    assert table(page, "turnaround") == [
        ["1", "1", "2.0", "2.0"], ["2", "1", "5.0", "5.0"], ["3", "1", "9.0", "9.0"],
    ]  # fmt: skip


def test_an_editor_limited_to_a_channel_sees_only_its_figures(client, staff, desk):
    staff.editor.editor_profile.channels.set([desk["mine"].channel])
    client.force_login(staff.editor)
    page = client.get("/admin/audience/hourlyreads/").content.decode()
    assert [row[1] for row in table(page, "top")] == ["椪柑丰收"]
    assert "社会" not in page


def test_a_reporter_sees_only_their_own_stories(client, staff, desk):
    client.force_login(staff.writer)
    page = client.get("/admin/audience/hourlyreads/").content.decode()
    assert [row[1] for row in table(page, "top")] == ["椪柑丰收"]
    response = client.get(f"/admin/audience/hourlyreads/?story={desk['theirs'].pk}")
    assert "街头新闻" not in response.content.decode()


def test_someone_off_the_desk_cannot_open_the_figures(client, desk):
    outsider = factories.UserFactory(username="outsider")
    client.force_login(outsider)
    assert client.get("/admin/audience/hourlyreads/").status_code == HTTPStatus.FORBIDDEN
    response = client.get("/admin/audience/hourlyreads/export.xlsx")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_charts_are_svg_drawn_here_with_nothing_from_elsewhere(client, staff, desk):
    client.force_login(staff.managing)
    for name in ["reads", "top", "story", "workload", "turnaround"]:
        response = client.get(f"/admin/audience/hourlyreads/chart/{name}.svg")
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert svg.startswith("<svg")
        # Only pygal's inert settings; no script file, nothing fetched from elsewhere.
        assert not re.search(r"<script[^>]*\bsrc=", svg)
        links = re.findall(r'(?:href|src)="([^"]*)"', svg)
        assert all(link.startswith("#") for link in links), links
    svg = client.get("/admin/audience/hourlyreads/chart/top.svg").content.decode()
    assert "椪柑丰收" in svg


def test_the_excel_export_opens_and_carries_the_same_numbers(client, staff, desk):
    client.force_login(staff.managing)
    response = client.get("/admin/audience/hourlyreads/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    top = [list(row) for row in book["top_stories"].iter_rows(values_only=True)]
    assert top == [
        ["编号", "标题", "栏目", "阅读量"],
        [desk["mine"].pk, "椪柑丰收", "泸溪县", 19],
        [desk["theirs"].pk, "街头新闻", "社会", 9],
    ]
    assert set(book.sheetnames) == {"reads_30", "top_stories", "workload", "turnaround",
                                    "story_hours"}  # fmt: skip


def test_the_csv_export_carries_the_same_numbers_and_no_formula(client, staff, desk):
    desk["mine"].title = "=HYPERLINK(1)"
    desk["mine"].save()
    client.force_login(staff.managing)
    response = client.get("/admin/audience/hourlyreads/export.csv?table=top")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[1] == [str(desk["mine"].pk), "'=HYPERLINK(1)", "泸溪县", "19"]
    assert client.get("/admin/audience/hourlyreads/export.csv?table=x").status_code == 404


def test_unreadable_choices_fall_back_to_the_defaults(client, staff, desk):
    client.force_login(staff.managing)
    response = client.get("/admin/audience/hourlyreads/?days=7&month=nope&story=abc")
    assert response.status_code == HTTPStatus.OK
    assert len(table(response.content.decode(), "reads")) == 30
