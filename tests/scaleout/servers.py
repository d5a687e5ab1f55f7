"""Real servers for the scale-out tests: gunicorn, nginx, PostgreSQL clusters, a worker.

Every server listens on a port the OS picked as free, keeps its files in a temporary
folder and is stopped by the fixture that started it.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 30


def require(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when something a scale-out test needs is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run every scale-out test)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], seconds: float = 10, what: str = "") -> object:
    """Poll ``condition`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what or condition}")
        time.sleep(0.05)


def manage(*args: str, env: dict[str, str]) -> str:
    """Run a manage.py command in a fresh process; return its output."""
    done = subprocess.run(
        [BIN / "python", "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def joined(headers) -> dict[str, str]:
    """Headers as a dict; a header sent twice keeps both values, comma-separated."""
    return {name: ", ".join(headers.get_all(name)) for name in set(headers.keys())}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Browser:
    """A client with its own cookies, like one reader's or one editor's browser."""

    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def request(
        self, url: str, data: dict | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects
        )
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with opener.open(request, timeout=30) as answer:
                return Response(answer.status, joined(answer.headers), answer.read())
        except urllib.error.HTTPError as answer:
            return Response(answer.code, joined(answer.headers), answer.read())

    def get(self, url: str, **headers: str) -> Response:
        return self.request(url, headers=headers)

    def post_form(self, url: str, data: dict, from_page: str | None = None) -> Response:
        """Post a form the way a browser does: with the CSRF token of the page it came from."""
        page = self.get(from_page or url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        return self.request(url, {"csrfmiddlewaretoken": html.unescape(token), **data})

    def log_in(self, origin: str, username: str, password: str) -> None:
        answer = self.post_form(
            f"{origin}/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert answer.status == 302, answer.text[:2000]

    def admin_action(self, origin: str, action: str, *pks: int) -> Response:
        """Run an action of the article list in the admin on the given articles."""
        url = f"{origin}/admin/articles/article/"
        return self.post_form(url, {"action": action, "_selected_action": [str(p) for p in pks]})

    def transition(self, origin: str, pk: int, action: str, note: str = "") -> Response:
        """Take a review-chain step from the article's page in the admin."""
        page = f"{origin}/admin/articles/article/{pk}/change/"
        url = f"{origin}/admin/articles/article/{pk}/transition/{action}/"
        return self.post_form(url, {"note": note}, from_page=page)

    def session_id(self) -> str:
        return next(c.value for c in self.cookies if c.name == "sessionid")


# --- gunicorn -----------------------------------------------------------------------------


@dataclass
class AppServer:
    """One gunicorn instance (master and workers) serving Newsroom from this checkout."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        # Test servers speak plain HTTP: cookies marked Secure would never come back.
        env = {
            "DJANGO_SECURE_COOKIES": "off",
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to end master and workers
        )
        wait_until(self.answers, STARTUP_SECONDS, f"gunicorn on port {self.port}")
        return self

    def answers(self) -> bool:
        assert self.process.poll() is None, self.log_path.read_text()[-3000:]
        try:
            return Browser().get(f"{self.origin}/healthz").status == 200
        except OSError:
            return False

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def reload(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """End master and workers at once: the tests are over, nothing needs a clean exit."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()

    def json_logs(self) -> list[dict]:
        """The JSON log lines written so far (the access log and Django's loggers)."""
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


# --- nginx --------------------------------------------------------------------------------

NGINX_EXAMPLE = ROOT / "deploy" / "nginx" / "newsroom.conf"


def nginx_binary() -> str | None:
    """$NGINX_BIN, nginx on the PATH, or in an sbin folder (not on every user's PATH)."""
    if given := os.environ.get("NGINX_BIN"):
        return given
    return shutil.which("nginx") or shutil.which("nginx", path=os.pathsep.join(SBIN_DIRS))


SBIN_DIRS = ["/usr/sbin", "/usr/local/sbin"]


def nginx_conf_dir(nginx: str) -> Path:
    """The folder of nginx's own configuration (for mime.types), as nginx -V reports it."""
    built = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    return Path(re.search(r"--conf-path=(\S+)", built)[1]).parent


@dataclass
class EdgeCache:
    """nginx running the example configuration, pointed at the given app servers."""

    workdir: Path
    upstreams: list[str]
    static_root: Path
    media_root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        """The shipped example, with this test's ports and folders in place of the defaults."""
        text = NGINX_EXAMPLE.read_text(encoding="utf-8")
        servers = "".join(f"server {upstream};\n    " for upstream in self.upstreams)
        replacements = {
            "server 127.0.0.1:8000;\n    ": servers,
            "listen 80;": f"listen 127.0.0.1:{self.port};",
            "listen [::]:80;": "",
            "/var/lib/nginx/newsroom-cache": str(self.workdir / "cache"),
            "/srv/newsroom/current/deploy/nginx/pages": str(ROOT / "deploy" / "nginx" / "pages"),
            "/srv/newsroom/maintenance": str(self.workdir / "maintenance"),
            "/srv/newsroom/staticfiles/": f"{self.static_root}/",
            "/srv/newsroom/media/": f"{self.media_root}/",
            "/var/log/nginx/newsroom.access.log": str(self.workdir / "access.log"),
            "/var/log/nginx/newsroom.error.log": str(self.workdir / "error.log"),
        }
        for default, ours in replacements.items():
            assert default in text, f"the example no longer contains {default!r}"
            text = text.replace(default, ours)
        user = "user root;\n" if os.geteuid() == 0 else ""  # to read pytest's private folders
        return (
            f"daemon off;\n{user}worker_processes 1;\npid {self.workdir / 'nginx.pid'};\n"
            f"error_log {self.workdir / 'error.log'};\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"  client_body_temp_path {self.workdir / 'body'};\n"
            f"  proxy_temp_path {self.workdir / 'proxy'};\n"
            f"  fastcgi_temp_path {self.workdir / 'fastcgi'};\n"
            f"  uwsgi_temp_path {self.workdir / 'uwsgi'};\n"
            f"  scgi_temp_path {self.workdir / 'scgi'};\n"
            f"  access_log {self.workdir / 'access.log'};\n"
            f"  include {nginx_conf_dir(nginx_binary()) / 'mime.types'};\n"
            f"{text}\n}}\n"
        )

    def start(self) -> EdgeCache:
        self.workdir.mkdir(parents=True, exist_ok=True)
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config(), encoding="utf-8")
        nginx = nginx_binary()
        check = subprocess.run([nginx, "-t", "-c", conf], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [nginx, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(self.answers, STARTUP_SECONDS, f"nginx on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


# --- PostgreSQL clusters ------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Where initdb, pg_ctl and pg_basebackup live: $POSTGRES_BINDIR, else pg_config's."""
    if given := os.environ.get("POSTGRES_BINDIR"):
        return Path(given)
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidate = Path(found.stdout.strip())
        if (candidate / "pg_basebackup").exists() and (candidate / "initdb").exists():
            return candidate
    return None


@dataclass
class Cluster:
    """A PostgreSQL cluster of our own, run as the postgres user when we are root."""

    bindir: Path
    datadir: Path
    port: int = field(default_factory=free_port)

    @staticmethod
    def as_owner() -> list[str]:
        # PostgreSQL refuses to run as root.
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [*self.as_owner(), self.bindir / program, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{program}: {done.stdout}{done.stderr}"
        return done.stdout

    def url(self, database: str = "newsroom") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "newsroom") -> str:
        """Run one statement with psql; return the bare result."""
        return self.run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", database, "-tAX", "-v", "ON_ERROR_STOP=1", "-c", statement,
        ).strip()  # fmt: skip

    def configure(self, **settings: str) -> None:
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with (self.datadir / "postgresql.auto.conf").open("a") as conf:
            conf.write(lines)

    def init(self, **settings: str) -> Cluster:
        """initdb a fresh cluster listening on 127.0.0.1 only, with a ``newsroom`` database."""
        self.run(
            "initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.configure(
            port=str(self.port),
            listen_addresses="'127.0.0.1'",
            unix_socket_directories=f"'{self.datadir.parent}'",
            fsync="off",
            **settings,
        )
        self.start()
        self.sql("CREATE DATABASE newsroom", database="postgres")
        return self

    def start(self) -> Cluster:
        self.run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir.parent / f"{self.port}.log"),
            "-w", "-t", str(STARTUP_SECONDS), "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "immediate") -> None:
        subprocess.run(
            [*self.as_owner(), self.bindir / "pg_ctl", "-D", self.datadir, "-m", mode,
             "-w", "stop"],
            capture_output=True,
        )  # fmt: skip


# --- Redis ----------------------------------------------------------------------------------


@dataclass
class RedisServer:
    """A redis-server of our own, in memory only, that a test may kill."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, STARTUP_SECONDS, f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def own_cluster(prefix: str) -> Iterator[Cluster]:
    """A PostgreSQL cluster made for one test module (initdb on a free port), with an empty
    ``newsroom`` database; stopped and removed afterwards."""
    bindir = postgres_bindir()
    require(bindir is not None, "PostgreSQL server programs not found: set POSTGRES_BINDIR")
    require(os.geteuid() != 0 or shutil.which("runuser"), "runuser is needed to run as postgres")
    workdir = make_workdir(prefix)
    cluster = Cluster(bindir, workdir / "data")
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def make_workdir(prefix: str) -> Path:
    """A temporary folder the postgres user can own when we are root."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


# --- The task worker ------------------------------------------------------------------------


@dataclass
class Worker:
    """manage.py worker, the database task worker, as production runs it."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    arguments: tuple[str, ...] = ()

    def start(self) -> Worker:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [BIN / "python", "manage.py", "worker", "--interval", "0.1",
             "--no-startup-delay", "--no-reload", *self.arguments],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """Die at once, as on a power cut or the out-of-memory killer: no clean-up."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
