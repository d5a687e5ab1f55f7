"""A reader on a phone goes from the home page to a channel to an article."""

import pytest
from PIL import Image as PILImage

from tests.browser.images import loaded_image_source
from tests.factories import ArticleFactory, ChannelFactory, full_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_reader_goes_from_home_through_a_channel_to_an_article(live_server, page, screenshot_path):
    channel = ChannelFactory(name="民生", slug="minsheng", position=1)
    article = full_article(channel)
    ArticleFactory(title="同栏目的另一篇", channel=channel)

    page.goto(live_server.url)
    page.get_by_role("navigation", name="栏目导航").get_by_role("link", name="民生").click()
    page.get_by_role("link", name=article.title).click()

    assert page.url == f"{live_server.url}{article.get_absolute_url()}"
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.locator(".article__byline").inner_text().endswith("湘西泸溪报道")
    figure = page.locator(".article__body figure")
    # A 640-pixel photo on a 390-pixel screen: the browser picks the 480-pixel WebP copy.
    loaded = loaded_image_source(figure.locator("img"))
    assert loaded.endswith("-480.webp")
    assert "摄影：向建国" in figure.locator("figcaption").inner_text()
    path = screenshot_path("article-page")
    page.screenshot(path=path, full_page=True)
    with PILImage.open(path) as shot:
        assert shot.width == 390
