"""The public site: pages, feeds, sitemaps and the template tags that draw them."""

from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
