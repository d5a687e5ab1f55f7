"""Public URLs. Article URLs are permanent: never change their shape."""

from django.urls import path, register_converter

from articles import views


class DigitsConverter:
    """A run of digits kept as written, so a wrongly padded date can be redirected."""

    regex = "[0-9]{1,4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DigitsConverter, "digits")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel, name="channel"),
    path(
        "content/<digits:year>/<digits:month>/<digits:day>/<int:pk>.html",
        views.article_detail,
        name="article",
    ),
]
