"""Video files made on the spot with FFmpeg's test sources: short clips, phone footage
shot upright, clips without sound, and things that are not videos."""

import subprocess
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def make_clip(
    path: Path,
    *,
    seconds: float = 1.0,
    size: str = "1280x720",
    audio: bool = True,
    rotate: int | None = None,
) -> Path:
    """Write an H.264 clip of FFmpeg's moving test pattern (with a tone, unless silent)."""
    arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                 "-i", f"testsrc2=size={size}:rate=25:duration={seconds}"]  # fmt: skip
    if audio:
        arguments += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        arguments += ["-c:a", "aac", "-shortest"]
    subprocess.run([*arguments, str(path)], check=True, timeout=60)
    if rotate is not None:  # how a phone marks footage shot upright: a display rotation
        plain = path.with_suffix(f".plain{path.suffix}")
        path.rename(plain)
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(plain), "-c", "copy",
             "-metadata:s:v:0", f"rotate={rotate}", str(path)],
            check=True, timeout=60,
        )  # fmt: skip
    return path


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


def webvtt(text: str = "字幕第一行") -> bytes:
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n{text}\n".encode()
