"""Public URLs. Article URLs are permanent: never change their shape."""

from django.urls import path, register_converter

from website import discovery, feeds, views


class DigitsConverter:
    """A run of digits kept as written, so a wrongly padded date can be redirected."""

    regex = "[0-9]{1,4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TagSlugConverter:
    """Tag slugs keep their Chinese characters; control characters never match."""

    regex = "[^/\x00-\x1f\x7f]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DigitsConverter, "digits")
register_converter(TagSlugConverter, "tag")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel, name="channel"),
    path("tag/<tag:slug>/", views.tag, name="tag"),
    path("author/<int:pk>/", views.author, name="author"),
    path("topic/<slug:slug>/", views.topic, name="topic"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("channel/<slug:slug>/rss/", feeds.ChannelFeed(), name="channel_rss"),
    path("channel/<slug:slug>/atom/", feeds.ChannelAtomFeed(), name="channel_atom"),
    path("feeds/rss/", feeds.SiteFeed(), name="rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="atom"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap_index"),
    path("sitemap-news.xml", discovery.news_sitemap, name="news_sitemap"),
    path("sitemap-<str:section>.xml", discovery.sitemap_section, name="sitemap_section"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    path(
        "content/<digits:year>/<digits:month>/<digits:day>/<int:pk>.html",
        views.article_detail,
        name="article",
    ),
]
