"""The allow-list for article body HTML: the one real guard against hostile markup.

The rich-text editor only offers what is allowed here, but anything can be posted to the
server, so every body is cleaned on the model side too (see ``Article.save``).
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup",
    "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "hr", "a",
    "figure", "figcaption", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # Which library photo (articles.figures) or video (videos.figures) a figure shows.
    "figure": {"data-photo", "data-video"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_body(html: str) -> str:
    """Return body HTML reduced to the allow-list; an editor's empty paragraph becomes ""."""
    cleaned = _cleaner.clean(html or "").strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
