"""The home page on a phone and on a laptop, in Chinese, on the demo station: a header of
two rows, the 头条 with its photo, five stories and more per screen, dates on one line."""

import pytest
from django.core.management import call_command

from articles.models import Article, Channel

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1366, "height": 768}

# Per screen (a window of the viewport's height, from the top down): the distinct stories
# whose links start in it, and whether any story's link appears twice in it.
STORIES_PER_SCREEN = """() => {
  const screen = window.innerHeight;
  const main = document.querySelector('main');
  const end = main.getBoundingClientRect().bottom + window.scrollY;
  const screens = [];
  for (let top = 0; top + screen <= end; top += screen) {
    const seen = new Map();
    for (const a of main.querySelectorAll('a[href*="/content/"]')) {
      const box = a.getBoundingClientRect();
      const y = box.top + window.scrollY;
      if (box.height > 0 && y >= top && y < top + screen) {
        seen.set(a.pathname, (seen.get(a.pathname) || 0) + 1);
      }
    }
    screens.push({top, stories: seen.size, twice: [...seen].filter(([, n]) => n > 1)});
  }
  return screens;
}"""
# Every <time> on one line: its height is one line of its own text.
WRAPPED_TIMES = """() => [...document.querySelectorAll('time')].filter(t => {
  const rects = t.getClientRects();
  return rects.length > 1;
}).map(t => t.textContent)"""


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def open_page(browser, live_server, viewport, path="/"):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    return context, page


def test_home_on_a_phone_reads_like_a_news_site(browser, live_server, demo, screenshot_path):
    context, page = open_page(browser, live_server, PHONE)

    header = page.locator(".site-header").bounding_box()
    nav = page.locator(".site-nav ul")
    lead = page.locator(".lead__story")
    screens = page.evaluate(STORIES_PER_SCREEN)
    page.screenshot(path=screenshot_path("home-360"), full_page=True)
    page.screenshot(path=screenshot_path("home-360-first-screen"))

    assert header["height"] <= 120
    # The channel bar is one row that scrolls sideways.
    assert nav.evaluate("n => n.scrollWidth > n.clientWidth")
    heights = {round(box["y"]) for box in nav.locator("a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().toJSON())")}  # fmt: skip
    assert len(heights) == 1
    # The 头条 with its photo, inside the first screen.
    assert lead.locator("img").count() == 1
    assert lead.bounding_box()["y"] + lead.bounding_box()["height"] <= PHONE["height"]
    assert all(screen["stories"] >= 5 for screen in screens), screens
    assert screens[0]["twice"] == []
    assert page.evaluate(WRAPPED_TIMES) == []
    context.close()


def test_home_on_a_laptop(browser, live_server, demo, screenshot_path):
    context, page = open_page(browser, live_server, LAPTOP)

    page.screenshot(path=screenshot_path("home-1366"), full_page=True)

    assert page.locator(".site-header").bounding_box()["height"] <= 120
    assert page.locator(".lead__story img").count() == 1
    assert page.evaluate(WRAPPED_TIMES) == []
    context.close()


def test_article_and_channel_pages_on_a_phone(browser, live_server, demo, screenshot_path):
    article = Article.objects.published().filter(source__gt="").first()
    channel = Channel.objects.get(slug="xianshiqu")
    context, page = open_page(browser, live_server, PHONE, article.get_absolute_url())

    title = page.locator(".article__title").bounding_box()
    dateline = page.locator(".article__dateline")
    body = page.locator(".article__body").bounding_box()
    page.screenshot(path=screenshot_path("article-360"), full_page=True)

    # Date and source under the headline, above the body.
    assert title["y"] < dateline.bounding_box()["y"] < body["y"]
    assert "来源：" in dateline.inner_text()
    assert page.evaluate(WRAPPED_TIMES) == []
    page.goto(f"{live_server.url}{channel.get_absolute_url()}")
    page.screenshot(path=screenshot_path("channel-360"), full_page=True)
    screens = page.evaluate(STORIES_PER_SCREEN)
    assert all(screen["stories"] >= 5 for screen in screens[1:]), screens
    assert page.evaluate(WRAPPED_TIMES) == []
    context.close()


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(rgb: tuple[int, ...]) -> float:
        linear = [
            (c / 255 / 12.92) if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_stands_out_on_white(browser, live_server, demo):
    context, page = open_page(browser, live_server, LAPTOP)

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the station's name, in the red header
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('main') !== null"):
            break
    colour = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")

    rgb = tuple(int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])
    assert style == "solid"
    assert contrast(rgb, (255, 255, 255)) >= 3
    context.close()


def test_photos_scrolled_out_of_a_gallery_are_never_focused(browser, live_server, demo):
    story = Article.objects.published().filter(channel__kind=Channel.Kind.PHOTO).first()
    context, page = open_page(browser, live_server, PHONE, story.get_absolute_url())

    focused = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.closest('.gallery__slide') !== null"))

    assert not any(focused)
    context.close()
