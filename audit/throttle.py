"""Slows down an address that keeps failing to sign in, before any account is locked."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from audit.addresses import client_address
from audit.refusals import count_refusal, wait_for


class SignInThrottleMiddleware:
    """A sign-in posted too soon after failures from its address: 429 "请稍后再试" at once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("admin:login"):
            address = client_address(request)
            if seconds := wait_for(address):
                count_refusal(str(request.POST.get("username", ""))[:150], address)
                return slow_down_response(request, seconds)
        return self.get_response(request)


def slow_down_response(request: HttpRequest, seconds: int) -> HttpResponse:
    context = {"seconds": seconds, "login_url": reverse("admin:login")}
    response = render(request, "registration/slow_down.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
