"""An upload cut off midway through its body, at a real gunicorn server, stores nothing."""

import re
import socket
import uuid
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from articles.models import Image
from tests import photo_files
from tests.factories import UserFactory
from tests.scaleout.servers import Browser

pytestmark = [
    pytest.mark.scaleout,
    # Committed, so the server sees the account (a superuser: no role groups needed).
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery"
UPLOAD = "/admin/articles/image/upload/"


@pytest.fixture(scope="module")
def server(server_env, start_server, tmp_path_factory):
    originals = tmp_path_factory.mktemp("originals")
    app = start_server({**server_env, "DJANGO_ORIGINALS_ROOT": str(originals)}, "uploads")
    app.roots = [Path(server_env["DJANGO_MEDIA_ROOT"]), originals]
    return app


@pytest.fixture
def editor(server) -> Browser:
    """A logged-in editor's browser (hashed as in production: the server has no test hasher)."""
    chief = UserFactory(username="chief", is_superuser=True)
    chief.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    chief.save(update_fields=["password"])
    browser = Browser()
    browser.log_in(server.origin, "chief", PASSWORD)
    return browser


def upload_request(server, browser: Browser, photo: bytes) -> bytes:
    """The raw HTTP request a browser sends to upload one photo on the batch page."""
    page = browser.get(f"{server.origin}{UPLOAD}").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    boundary = uuid.uuid4().hex
    fields = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="jishou.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    body = fields.encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    head = (
        f"POST {UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookies}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def send(server, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        return b"".join(iter(lambda: sock.recv(65536), b""))


def cut_off(server, request: bytes) -> None:
    """Send half of the request and hang up, as a phone losing its signal does."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request[: len(request) // 2])


def files_in(roots: list[Path]) -> list[Path]:
    return [path for root in roots for path in root.rglob("*") if path.is_file()]


def test_an_upload_cut_off_midway_stores_nothing_and_the_whole_one_is_stored(server, editor):
    photo = photo_files.noisy_jpeg((2400, 1600))  # larger than what Django keeps in memory
    request = upload_request(server, editor, photo)
    assert len(photo) > 2_621_440

    cut_off(server, request)
    # The one worker answers again once it has given up on the cut-off request.
    assert editor.get(f"{server.origin}/healthz").status == HTTPStatus.OK
    assert not Image.objects.exists()
    assert files_in(server.roots) == []

    answer = send(server, request)

    assert answer.startswith(b"HTTP/1.1 302"), answer[:300]
    stored = Image.objects.get()
    assert (server.roots[1] / stored.file.name).read_bytes() == photo
    assert stored.is_ready
