"""Getting pages to readers fast: the page cache, freshness versions, edge purges."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"

    def ready(self) -> None:
        from delivery import receivers

        receivers.connect()
