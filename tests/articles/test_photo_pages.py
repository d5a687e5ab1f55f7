"""Photos as readers get them: figures in bodies, list covers and photo-set galleries."""

import re
from http import HTTPStatus

import pytest

from articles.models import Channel, GalleryPhoto
from tests import photo_files
from tests.articles.test_views import ARTICLE_PAGE_QUERIES
from tests.factories import (
    ArticleFactory,
    ChannelFactory,
    ImageFactory,
    full_article,
    library_figure,
)

pytestmark = pytest.mark.django_db

# The photo set is drawn inside the cached part of the page: one more query when cold.
GALLERY_PAGE_QUERIES = {
    "cold": ARTICLE_PAGE_QUERIES["cold"] + 1,
    "warm": ARTICLE_PAGE_QUERIES["warm"],
}


def body_of(html: str) -> str:
    return html[html.index('class="article__body"') : html.index('class="article__meta"')]


@pytest.fixture
def photo():
    return ImageFactory(
        file=photo_files.upload(photo_files.camera_jpeg(size=(2000, 1333))),
        caption="矮寨大桥云海",
        credit="石磊",
        alt_text="云海中的悬索桥",
    )


# --- Figures in the body -----------------------------------------------------------------


def test_body_photo_is_a_picture_then_its_caption_with_credit(client, photo):
    article = ArticleFactory(body=f"<p>第一段。</p>{library_figure(photo, '')}<p>第二段。</p>")

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    figure = re.search(r"<figure.*?</figure>", body, re.S)[0]
    webp = photo.copies(fmt="webp")
    assert figure.startswith('<figure class="photo"><picture><source type="image/webp" srcset="')
    assert ", ".join(f"/media/{c['name']} {c['width']}w" for c in webp) in figure
    assert 'sizes="(min-width: 46rem) 46rem, 100vw"' in figure
    assert 'width="960" height="640"' in figure
    assert 'alt="云海中的悬索桥"' in figure
    assert figure.endswith(
        "</picture><figcaption>矮寨大桥云海（摄影：石磊）</figcaption></figure>"
    )
    assert body.index("第一段") < body.index("<picture>") < body.index("第二段")


def test_first_body_photo_loads_at_once_and_later_ones_lazily(client, photo):
    second = ImageFactory(caption="第二张", alt_text="第二张照片")
    article = ArticleFactory(body=library_figure(photo) + "<p>中间。</p>" + library_figure(second))

    body = body_of(client.get(article.get_absolute_url()).content.decode())

    first_img, second_img = re.findall(r"<img [^>]*>", body)
    assert 'loading="lazy"' not in first_img
    assert 'loading="lazy"' in second_img


def test_caption_can_be_overridden_for_one_use(client, photo):
    article = ArticleFactory(body=library_figure(photo, "<em>本稿</em>专用说明"))
    other = ArticleFactory(body=library_figure(photo, "矮寨大桥云海（摄影：石磊）"))

    this_page = body_of(client.get(article.get_absolute_url()).content.decode())
    other_page = body_of(client.get(other.get_absolute_url()).content.decode())

    assert "<figcaption><em>本稿</em>专用说明</figcaption>" in this_page
    assert "<figcaption>矮寨大桥云海（摄影：石磊）</figcaption>" in other_page


def test_a_photo_still_being_drawn_or_deleted_is_left_out(client, settings, photo):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    pending = ImageFactory(caption="还在处理")
    article = ArticleFactory(body=library_figure(pending) + "<p>正文。</p>")
    deleted_id = photo.pk
    photo.delete()
    gone = ArticleFactory(body=f'<figure data-photo="{deleted_id}"><img src="" alt=""></figure>')

    for item in (article, gone):
        body = body_of(client.get(item.get_absolute_url()).content.decode())
        assert "<figure" not in body
        assert "<img" not in body


def test_photo_markup_in_the_body_cannot_smuggle_attributes(client, photo):
    hostile = library_figure(photo, '<img src=x onerror="alert(1)">说明').replace(
        "<figure ", '<figure onclick="alert(1)" '
    )
    article = ArticleFactory(body=hostile)

    body = body_of(client.get(article.get_absolute_url()).content.decode()).lower()

    assert "onerror" not in body
    assert "onclick" not in body


def test_article_page_queries_do_not_grow_with_its_photos(client, county_channel, queries_for):
    photos = [ImageFactory(caption=f"照片{n}") for n in range(6)]
    body = "".join(library_figure(p) for p in photos)
    article = full_article(county_channel, body=body, cover_image=photos[0])
    url = article.get_absolute_url()

    assert queries_for(url) == ARTICLE_PAGE_QUERIES["cold"]
    assert queries_for(url, warm=True) == ARTICLE_PAGE_QUERIES["warm"]
    assert client.get(url).content.decode().count("<picture>") == 6


# --- Covers in lists ---------------------------------------------------------------------


def test_list_cover_is_a_focal_point_crop_with_its_size(client, photo):
    article = ArticleFactory(title="有封面的稿件", cover_image=photo)

    html = client.get(article.channel.get_absolute_url()).content.decode()

    cover = photo.copies("cover")[0]
    assert f'src="/media/{cover["name"]}"' in html
    assert 'width="480" height="320"' in html
    assert 'class="article-list__cover"' in html


# --- Photo sets (红图) --------------------------------------------------------------------


@pytest.fixture
def photo_set(photo):
    channel = ChannelFactory(name="红图", slug="hongtu", kind=Channel.Kind.PHOTO)
    article = full_article(channel, title="赶秋节组图", body="<p>导语。</p>")
    others = [ImageFactory(caption=f"第{n}张的说明", credit="彭雪") for n in (2, 3)]
    for position, image in enumerate([photo, *others]):
        GalleryPhoto.objects.create(article=article, image=image, position=position)
    GalleryPhoto.objects.filter(image=others[1]).update(caption="组图里改写的说明")
    return article


def test_photo_set_is_an_ordered_gallery_with_counts_and_captions(client, photo_set):
    html = client.get(photo_set.get_absolute_url()).content.decode()

    slides = re.findall(r'<li class="gallery__slide" id="photo-(\d)">(.*?)</li>', html, re.S)
    assert [number for number, _ in slides] == ["1", "2", "3"]
    assert "1/3</span>矮寨大桥云海（摄影：石磊）" in slides[0][1]
    assert "2/3</span>第2张的说明（摄影：彭雪）" in slides[1][1]
    assert "3/3</span>组图里改写的说明" in slides[2][1]
    assert "组图（共 3 张）" in html


def test_gallery_works_without_javascript_by_links_between_photos(client, photo_set):
    html = client.get(photo_set.get_absolute_url()).content.decode()

    # Structured data and the read beacon's file (audience/), nothing the gallery needs.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts[0] == '<script type="application/ld+json">'
    assert [s for s in scripts[1:] if "/static/audience/beacon" not in s] == []
    assert '<a href="#photo-2" class="gallery__next" tabindex="-1">下一张</a>' in html
    assert '<a href="#photo-1" class="gallery__previous" tabindex="-1">上一张</a>' in html
    assert html.count('<a href="#photo-') == 4 + 3  # previous/next, and a thumbnail each


def test_gallery_can_be_scrolled_by_keyboard(client, photo_set):
    html = client.get(photo_set.get_absolute_url()).content.decode()

    assert re.search(r'<ol class="gallery__slides" tabindex="0" aria-label="[^"]+">', html)


def test_photos_scrolled_out_of_view_add_no_tab_stops(client, photo_set):
    html = client.get(photo_set.get_absolute_url()).content.decode()

    slides = html[html.index('<ol class="gallery__slides"') : html.index("</ol>")]
    links = re.findall(r"<a [^>]*>", slides)
    assert len(links) == 4
    assert all('tabindex="-1"' in link for link in links)
    # The thumbnails stay the keyboard's way to each photo: one tab stop apiece.
    thumbs = html[html.index('<ol class="gallery__thumbs">') :]
    assert "tabindex" not in thumbs[: thumbs.index("</ol>")]


@pytest.mark.parametrize("state", ["cold", "warm"])
def test_gallery_page_queries_do_not_grow_with_its_photos(client, photo_set, queries_for, state):
    url = photo_set.get_absolute_url()
    before = queries_for(url, warm=state == "warm")

    for n in range(4):
        image = ImageFactory(caption=f"更多{n}")
        GalleryPhoto.objects.create(article=photo_set, image=image, position=10 + n)

    assert before == queries_for(url, warm=state == "warm") == GALLERY_PAGE_QUERIES[state]
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('class="gallery__slide"') == 7


def test_articles_outside_photo_channels_show_no_gallery(client, photo):
    article = ArticleFactory()
    GalleryPhoto.objects.create(article=article, image=photo)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "gallery" not in html
