"""Short demo videos made with FFmpeg's test sources: a moving pattern or colour bars, a
tone, and the story's title drawn in Chinese. Each is a few seconds long and small."""

import functools
import shutil
import subprocess
from pathlib import Path
from tempfile import TemporaryDirectory

SIZE = "1280x720"
PATTERNS = {"testsrc2", "smptebars", "smptehdbars", "rgbtestsrc"}


@functools.cache
def cjk_font() -> str:
    """The file of a Chinese font (Noto CJK or WenQuanYi), or "" if none is installed."""
    if not shutil.which("fc-match"):
        return ""
    for family in ("Noto Sans CJK SC:style=Bold", "Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        if found and ("CJK" in found or "wqy" in found.lower()):
            return found
    return ""


@functools.cache
def make_clip(pattern: str, title: str, seconds: int, tone: int) -> bytes:
    """An MP4 clip: the pattern moving under the title, with a tone (the same every time)."""
    if pattern not in PATTERNS:
        raise ValueError(f"unknown test source {pattern!r}")
    with TemporaryDirectory(prefix="newsroom-demo-video-") as folder:
        text, output = Path(folder) / "title.txt", Path(folder) / "clip.mp4"
        text.write_text(title, encoding="utf-8")
        drawn = (
            f"textfile={text}:fontsize=64:fontcolor=white:box=1:boxcolor=black@0.55:"
            "boxborderw=24:x=(w-text_w)/2:y=h*0.72"
        )
        if font := cjk_font():
            drawn = f"fontfile={font}:{drawn}"
        arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y",
                     "-f", "lavfi", "-i", f"{pattern}=size={SIZE}:rate=15:duration={seconds}",
                     "-f", "lavfi", "-i", f"sine=frequency={tone}:duration={seconds}",
                     "-vf", f"drawtext={drawn}", "-c:v", "libx264", "-preset", "ultrafast",
                     "-crf", "28", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
                     "-shortest", str(output)]  # fmt: skip
        subprocess.run(arguments, check=True, capture_output=True, timeout=120)
        return output.read_bytes()
