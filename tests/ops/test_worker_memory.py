"""What a web worker loads: code only photo uploads need waits until a photo comes."""

import os
import subprocess
import sys
from pathlib import Path

from tests import photo_files

ROOT = Path(__file__).resolve().parents[2]
CLEAN = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CACHE_"))}


def run(program: str, stdin: bytes = b"") -> str:
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        input=stdin,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode()


def test_a_fresh_worker_does_not_load_the_heif_codecs():
    loaded = run("import sys; import newsroom.wsgi; print('pillow_heif' in sys.modules)")

    assert loaded.strip() == "False"


def test_a_fresh_worker_still_reads_an_iphone_photo():
    program = (
        "import sys; import newsroom.wsgi; from photos import images; "
        "print(images.check_upload(sys.stdin.buffer.read()).format)"
    )

    assert run(program, stdin=photo_files.heic()).strip() == "HEIF"
