"""Site search: the index, its word list, result queries and related-link suggestions."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self) -> None:
        from search import receivers

        receivers.connect()
