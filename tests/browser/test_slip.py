"""The 稿签 prints on one A4 page, even with a long headline and long opinions."""

import re

import pytest

from articles.models import Article
from tests.browser.test_review_chain import sign_in
from tests.factories import ArticleFactory, AuthorFactory, EditorFactory, credit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def page_count(pdf: bytes) -> int:
    """Pages of a PDF as Chromium writes it: the page tree's /Count, uncompressed."""
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S)
    counts += re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf, re.S)
    assert counts, "no page tree found in the PDF"
    return max(int(count) for count in counts)


def reviewed_with_long_opinions(staff) -> Article:
    article = ArticleFactory(
        draft=True,
        created_by=staff.writer,
        kicker="产业兴旺 乡村振兴",
        title=("泸溪椪柑丰收季：全县十二万亩椪柑进入采摘期，" * 9)[:200],  # the longest allowed
        subtitle="果农笑开颜，电商直播带货销往全国二十多个省份",
        body="<p>" + "泸溪县浦市镇的椪柑迎来丰收。" * 300 + "</p>",
        source="泸溪县融媒体中心",
        editor=EditorFactory(display_name="沈佳"),
    )
    for position, name in enumerate(["向明辉", "杨丽芳", "张远", "田小雨"]):
        credit(article, AuthorFactory(name=name), position)
    article.submit(by=staff.writer)
    long_note = "数据已逐项核对，导语精炼，标题准确，图片说明完整，同意。" * 12
    for reviewer in (staff.editor, staff.managing, staff.chief):
        article.approve(by=reviewer, note=long_note)
    return article.publish(by=staff.chief)


def test_the_slip_fits_one_a4_page(browser, live_server, staff):
    live = reviewed_with_long_opinions(staff)
    page = sign_in(browser, live_server, "editor")

    page.goto(f"{live_server.url}/admin/articles/article/{live.pk}/slip/")
    pdf = page.pdf(format="A4")

    assert page.get_by_role("heading", name="红岭网湘西站稿签").is_visible()
    assert page_count(pdf) == 1


def test_page_count_reads_a_two_page_pdf(browser):
    page = browser.new_page()
    page.set_content("<p style='height:400mm'>一</p><p>二</p>")

    assert page_count(page.pdf(format="A4")) == 2
