"""The photo library: uploads, renditions, the image admin and its commands."""

from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "photos"
