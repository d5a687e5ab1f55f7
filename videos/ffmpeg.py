"""What FFmpeg does for the video library: check an upload, transcode it for the web and
take a poster frame. Debian's ``ffmpeg`` package provides ``ffmpeg`` and ``ffprobe``;
both run as argument lists (never a shell), each with a time limit."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import NamedTemporaryFile, TemporaryDirectory
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Containers phones and cameras write (MP4, MOV, 3GP), and a few editors' exports. An
# image (which ffprobe also reads as one frame of "video") is none of these.
CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "mpeg"}
# The public copies: the shorter side at most this many pixels (a portrait phone clip
# becomes 720 × 1280), each H.264/AAC in MP4 with its index first (+faststart).
HEIGHTS = (720, 480)
PROBE_SECONDS = 30
MESSAGES = {
    "missing": _("服务器未安装 FFmpeg，暂时无法处理视频，请联系技术人员。"),
    "not_video": _("这不是可以播放的视频文件。请上传手机或相机拍摄的 MP4、MOV 视频。"),
    "too_big": _("视频文件超过 %(limit)s MB，请压缩或剪短后再上传。"),
    "too_long": _("视频时长超过 %(limit)s 秒，请剪短后再上传。"),
    "empty": _("上传的视频文件是空的。"),
    "timeout": _("处理超过 %(seconds)d 秒仍未完成，已停止。请剪短或压缩视频后重新上传。"),
    "failed": _("FFmpeg 无法处理这个文件（%(detail)s）。请换一个文件重新上传。"),
    "no_frame": _("在第 %(at).1f 秒取不到画面，请另选封面时间。"),
}


class FFmpegError(Exception):
    """FFmpeg failed or ran past its time limit on a file it had accepted."""


@dataclass(frozen=True)
class Probe:
    """What ffprobe found in a file."""

    duration: float
    width: int
    height: int
    has_audio: bool
    container: str


def available() -> bool:
    """Whether both programs are installed."""
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def run(arguments: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    """Run one of the two programs; a missing program or a failure raises FFmpegError."""
    try:
        return subprocess.run(
            arguments, capture_output=True, check=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError as error:
        raise FFmpegError(str(MESSAGES["missing"])) from error
    except subprocess.TimeoutExpired as error:
        raise FFmpegError(MESSAGES["timeout"] % {"seconds": timeout}) from error
    except subprocess.CalledProcessError as error:
        tail = error.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        detail = " / ".join(tail) or f"{arguments[0]} exit {error.returncode}"
        raise FFmpegError(MESSAGES["failed"] % {"detail": detail}) from error


def probe(path: Path) -> Probe | None:
    """What a file holds, or None when it is not a video ffprobe can read."""
    try:
        found = run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
             "-show_streams", str(path)],
            timeout=PROBE_SECONDS,
        )  # fmt: skip
        facts = json.loads(found.stdout)
    except FFmpegError:
        if not available():
            raise
        return None
    except ValueError:
        return None
    streams = facts.get("streams", [])
    pictures = [
        s for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]  # fmt: skip
    container = facts.get("format", {}).get("format_name", "")
    duration = float(facts.get("format", {}).get("duration") or 0)
    if not pictures or container not in CONTAINERS or duration <= 0:
        return None
    width, height = int(pictures[0].get("width", 0)), int(pictures[0].get("height", 0))
    if rotation(pictures[0]) in {90, 270}:  # phone footage shot upright
        width, height = height, width
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    return Probe(duration, width, height, has_audio, container)


def rotation(stream: dict) -> int:
    """The rotation a phone recorded for the picture, in degrees (0, 90, 180 or 270)."""
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return int(float(side["rotation"])) % 360
    return int(stream.get("tags", {}).get("rotate", 0)) % 360


def check(path: Path, size: int) -> Probe:
    """Probe an upload and refuse it (ValidationError) unless it is a video within the caps."""
    limit_mb = settings.NEWSROOM_VIDEO_MAX_MB
    if size == 0:
        raise ValidationError(MESSAGES["empty"], code="empty")
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(MESSAGES["too_big"], code="too_big", params={"limit": limit_mb})
    try:
        found = probe(path)
    except FFmpegError as error:
        raise ValidationError(MESSAGES["missing"], code="missing") from error
    if found is None:
        raise ValidationError(MESSAGES["not_video"], code="not_video")
    limit_seconds = settings.NEWSROOM_VIDEO_MAX_SECONDS
    if found.duration > limit_seconds:
        raise ValidationError(
            MESSAGES["too_long"], code="too_long", params={"limit": limit_seconds}
        )
    return found


def scale(height: int) -> str:
    """A filter making the shorter side at most ``height`` pixels (never larger), even."""
    short = f"trunc(min({height},ih)/2)*2"
    narrow = f"trunc(min({height},iw)/2)*2"
    return f"scale=w='if(gte(iw,ih),-2,{narrow})':h='if(gte(iw,ih),{short},-2)'"


def transcode(source: Path, folder: Path) -> dict[int, Path]:
    """Write the public copies of a video (one decoding for all): {height: file}."""
    outputs = {height: folder / f"{height}.mp4" for height in HEIGHTS}
    split = f"[0:v:0]split={len(HEIGHTS)}" + "".join(f"[in{h}]" for h in HEIGHTS)
    chains = [f"[in{h}]{scale(h)},format=yuv420p[v{h}]" for h in HEIGHTS]
    arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source),
                 "-filter_complex", ";".join([split, *chains])]  # fmt: skip
    for height, output in outputs.items():
        arguments += [
            "-map", f"[v{height}]", "-map", "0:a:0?",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-movflags", "+faststart", "-map_metadata", "-1", str(output),
        ]  # fmt: skip
    run(arguments, timeout=settings.NEWSROOM_VIDEO_FFMPEG_TIMEOUT)
    return outputs


def poster(source: Path, at: float, output: Path) -> Path:
    """Take the frame at ``at`` seconds as a JPEG (the last frame if the clip ends before)."""
    for seek in (["-ss", f"{max(at, 0):.3f}"], ["-sseof", "-0.5"]):
        arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y", *seek, "-i", str(source),
                     "-frames:v", "1", "-q:v", "3", "-update", "1", str(output)]  # fmt: skip
        try:
            run(arguments, timeout=PROBE_SECONDS * 2)
        except FFmpegError:
            continue
        if output.exists() and output.stat().st_size:
            return output
    raise FFmpegError(MESSAGES["no_frame"] % {"at": at})


@contextmanager
def local_file(file: IO[bytes], suffix: str = "") -> Iterator[Path]:
    """A path FFmpeg can read for an uploaded or stored file (copied to a temporary file
    unless Django already wrote it to disk)."""
    if hasattr(file, "temporary_file_path"):
        yield Path(file.temporary_file_path())
        return
    with NamedTemporaryFile(suffix=suffix) as copy:
        file.seek(0)
        shutil.copyfileobj(file, copy)
        copy.flush()
        yield Path(copy.name)


@contextmanager
def workspace() -> Iterator[Path]:
    """A private folder for one transcode, removed afterwards whatever happens."""
    with TemporaryDirectory(prefix="newsroom-video-") as folder:
        yield Path(folder)
