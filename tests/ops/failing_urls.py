"""URLs mounted only in tests: views that fail the way a bug would, in two places."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

handler500 = "ops.errors.server_error"


def divide(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(1 / 0))


def look_up(request: HttpRequest) -> HttpResponse:
    return HttpResponse({}["missing"])


urlpatterns = [path("divide/", divide), path("look-up/", look_up)]
