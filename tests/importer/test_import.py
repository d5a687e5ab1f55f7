"""Moving the old site in: every part of each sample page lands where it belongs, at the
page's old URL, and a second run changes nothing."""

import csv
import io
from http import HTTPStatus
from pathlib import Path

import pytest
from PIL import Image as PILImage

from articles.figures import CAPTION, FIGURE, photo_ids
from articles.models import Article, Author, Channel, Editor, Image
from articles.models.people import Role
from audit.models import Entry
from importer import profile as profiles
from importer.models import ImportedPage, Redirect
from importer.run import run
from importer.sources import FolderSource, WarcSource
from tests.factories import ArticleFactory, beijing
from tests.importer.oldsite import ARTICLES, build_warc

pytestmark = pytest.mark.django_db


def captions(article: Article) -> list[str]:
    return [CAPTION.search(match[2])[1] for match in FIGURE.finditer(article.body)]


def report_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]


def test_every_article_page_becomes_a_published_story_and_the_rest_are_reported(
    imported, tmp_path
):
    assert (imported.created, imported.updated, len(imported.skipped)) == (9, 0, 2)
    assert set(Article.objects.published().values_list("pk", flat=True)) == ARTICLES
    rows = report_rows(tmp_path / "report.csv")
    skipped = {url.rsplit("oldsite/", 1)[1]: why for url, result, why in rows if result == "跳过"}
    assert skipped == {
        "about.html": "不是文章页：没有找到正文。",
        "channel/xiangxi/index.html": "不是文章页：没有找到标题。",
    }


def test_each_story_keeps_its_old_id_first_publication_time_and_url(imported, client):
    article = Article.objects.get(pk=1201)
    assert article.first_published_at == beijing(2022, 4, 27, 9, 30)
    assert article.get_absolute_url() == "/content/2022/04/27/1201.html"
    for pk in ARTICLES:
        old_url = ImportedPage.objects.get(article_id=pk).old_url
        path = old_url.removeprefix("http://news.hongling-old.example")
        assert Article.objects.get(pk=pk).get_absolute_url() == path
        assert client.get(path).status_code == HTTPStatus.OK


def test_headline_byline_credits_and_channel_land_where_they_belong(imported):
    article = Article.objects.get(pk=1201)
    assert article.title == "泸溪椪柑进入采摘季 果农忙着装箱发往各地"
    assert article.channel.name == "湘西新闻"
    assert article.byline() == "红岭时刻通讯员 张小燕 李建国 湘西泸溪报道"
    assert article.dateline == "湘西泸溪"
    assert article.source == "红岭时刻"
    assert article.editor.display_name == "王海波"
    assert article.editor.user is None
    assert sorted(article.tags.names()) == sorted(["椪柑", "泸溪", "丰收"])
    authors = [(c.author.name, c.author.outlet, c.author.user) for c in article.credits.all()]
    assert authors == [("张小燕", "红岭时刻", None), ("李建国", "红岭时刻", None)]
    assert "本文链接" not in article.body
    assert "阅读下一篇" not in article.body
    assert "原创稿件" not in article.body
    assert article.body.startswith("<p>四月的泸溪县武溪镇，漫山的椪柑树挂满了金黄的果子。")


def test_two_groups_in_a_byline_keep_each_persons_role(imported):
    article = Article.objects.get(pk=1215)
    assert article.kicker == "沱江两岸灯火通明"
    assert article.byline() == "红岭时刻记者 王小明 通讯员 刘芳 凤凰报道"
    assert article.channel.name == "文旅"
    assert article.editor.display_name == "赵强"
    assert article.first_published_at == beijing(2022, 5, 3, 20, 15, 6)


def test_a_story_without_photos_has_no_figure_and_no_cover(imported):
    article = Article.objects.get(pk=1215)
    assert photo_ids(article.body) == []
    assert article.cover_image is None


def test_six_photos_come_in_their_order_each_with_the_caption_under_it(imported):
    article = Article.objects.get(pk=987)
    assert len(photo_ids(article.body)) == 6
    assert captions(article) == [
        "展销会开幕当天，市民在展位前挑选年货。",
        "合作社展出的腊肉和香肠。",
        "椪柑展区人气最旺。",
        "工作人员向顾客介绍自制辣椒酱。",
        "主播在直播间推介泸溪特产。",
        "展销会上的踏虎凿花手工艺品。",
    ]
    images = Image.objects.in_bulk(photo_ids(article.body))
    assert all(image.is_ready for image in images.values())
    assert article.cover_image_id == photo_ids(article.body)[0]
    assert article.channel.name == "泸溪"
    assert article.channel.parent.name == "县市区"
    assert article.subtitle == "腊肉、椪柑、辣椒酱成为最受欢迎的年货"


def test_photos_reach_the_library_without_their_camera_metadata(imported, settings):
    image = Image.objects.get(pk=photo_ids(Article.objects.get(pk=1201).body)[0])
    assert image.caption == "果农在武溪镇的山坡上采摘椪柑。"
    assert image.alt_text == "果园全景"
    assert image.watermark is True
    copy = image.copies()[-1]
    with PILImage.open(Path(settings.MEDIA_ROOT) / copy["name"]) as public:
        assert not public.getexif()


def test_a_missing_editor_line_leaves_the_story_without_an_editor(imported):
    article = Article.objects.get(pk=1502)
    assert article.editor is None
    assert article.byline() == "红岭时刻通讯员 田甜 古丈报道"
    assert article.source == "红岭时刻"


def test_full_width_punctuation_and_a_gb2312_page_are_read_alike(imported):
    article = Article.objects.get(pk=1330)
    assert article.kicker == "藏书一百二十万册 座位三千个"
    assert article.subtitle == "「二十四小时自习区」同步开放"
    assert article.byline() == "红岭时刻记者 彭晓 石磊 吉首报道"
    assert article.editor.display_name == "龙敏"
    assert article.first_published_at == beijing(2022, 8, 15, 14, 5)
    assert "馆长介绍：「一楼设有二十四小时自习区" in article.body
    assert captions(article) == ["新图书馆的中庭阅览区。"]


def test_labels_inside_the_body_and_on_the_info_line_are_metadata(imported):
    article = Article.objects.get(pk=1620)
    assert article.byline() == "红岭时刻记者 黄蓉 龙山报道"
    assert article.source == "红岭时刻"
    assert article.editor.display_name == "龙敏"
    assert sorted(article.tags.names()) == sorted(["研学", "里耶秦简", "龙山"])
    assert "作者" not in article.body
    assert "关键词" not in article.body


def test_figures_photographers_and_headings_are_kept(imported):
    article = Article.objects.get(pk=1803)
    assert article.byline() == "红岭时刻特约记者 梁晨 摄影 符军 保靖报道"
    roles = [credit.role_label() for credit in article.credits.all()]
    assert roles == [Role.SPECIAL_REPORTER.label, Role.PHOTOGRAPHER.label]
    assert captions(article) == ["茶农在葫芦镇的茶园里采摘明前茶。", "制茶师傅在炒制黄金茶。"]
    assert "<h3>鲜叶价格比去年略高</h3>" in article.body


def test_a_video_placeholder_is_reported_and_the_story_still_comes_in(imported, tmp_path):
    article = Article.objects.get(pk=1388)
    assert captions(article) == ["徒步队伍经过矮寨大桥下的盘山公路。"]
    assert "<video" not in article.body
    warnings = [row[2] for row in report_rows(tmp_path / "report.csv") if row[1] != "跳过"]
    assert "视频未迁入：/uploads/video/2022/09/aizhai.mp4" in warnings


def test_a_broken_image_link_is_reported_and_the_other_photos_come_in(imported, tmp_path):
    article = Article.objects.get(pk=1560)
    assert captions(article) == ["居民在口袋公园里健身。"]
    assert "建成后的边城口袋公园" not in article.body
    warnings = [row[2] for row in report_rows(tmp_path / "report.csv") if row[1] != "跳过"]
    assert (
        "图片缺失，未迁入：http://news.hongling-old.example/uploads/2023/03/park-gone.jpg"
        in warnings
    )


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Image, Author, Editor, Channel, Redirect, ImportedPage)
    }


def test_importing_again_duplicates_nothing_and_updates_what_changed(imported, site, chief):
    before = counts()
    again = run(FolderSource(site), profiles.load(), user=chief)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert counts() == before
    page = site / "content/2022/04/27/1201.html"
    page.write_text(page.read_text().replace("果农忙着装箱", "果农装箱发往"), encoding="utf-8")
    third = run(FolderSource(site), profiles.load(), user=chief)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 8)
    assert counts() == before
    assert Article.objects.get(pk=1201).title == "泸溪椪柑进入采摘季 果农装箱发往发往各地"


def test_a_new_story_gets_an_id_above_every_imported_one(imported):
    assert ArticleFactory().pk > max(ARTICLES)


def test_an_id_taken_by_a_story_of_this_site_is_refused_not_overwritten(site, chief):
    own = ArticleFactory(pk=1215, title="本站自己的稿件")
    summary = run(FolderSource(site), profiles.load(), user=chief)
    own.refresh_from_db()
    assert own.title == "本站自己的稿件"
    assert ("编号 1215 已被本站的另一篇稿件占用。") in [why for _url, why in summary.skipped]


def test_the_audit_log_records_who_imported_what_from_where(imported, chief, site):
    entry = Entry.objects.get(action=Entry.Action.PAGES_IMPORTED)
    assert entry.actor == chief
    assert entry.details["source"] == str(site.resolve())
    assert (entry.details["pages"], entry.details["created"], entry.details["skipped"]) == (
        11,
        9,
        2,
    )
    assert entry.details["photos"] == 13


def test_a_warc_of_the_same_pages_gives_the_same_stories(site, chief, tmp_path):
    warc = build_warc(site, tmp_path / "oldsite.warc.gz")
    summary = run(WarcSource(warc), profiles.load(), user=chief)
    assert (summary.created, len(summary.skipped)) == (9, 2)
    assert Article.objects.get(pk=1330).byline() == "红岭时刻记者 彭晓 石磊 吉首报道"
    assert len(photo_ids(Article.objects.get(pk=987).body)) == 6
    assert captions(Article.objects.get(pk=1560)) == ["居民在口袋公园里健身。"]


def test_the_public_page_shows_each_caption_under_its_photo(imported, client):
    page = client.get("/content/2021/11/18/987.html").content.decode()
    positions = [page.index(caption) for caption in captions(Article.objects.get(pk=987))]
    assert positions == sorted(positions)
    assert page.count("<figcaption") >= 6
