"""Video transcode benchmark: a 60-second 1080p clip through the library's transcode.

Usage: python bench/video.py [--seconds 60]

Makes a 1920×1080, 25 fps clip of FFmpeg's moving test pattern with a tone (H.264/AAC,
as a phone would hand it in), then times ``videos.ffmpeg.transcode`` (one decoding, the
720p and 480p H.264/AAC copies with +faststart) and the poster frame. Prints the wall
time, the CPU time of FFmpeg (wall time also counts waiting for a core on a busy
machine) and the speed as a multiple of real time. Also written to bench/results/video.txt.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from tests.video_files import make_clip
    from videos import ffmpeg

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        started = time.perf_counter()
        source = make_clip(work / "source.mp4", seconds=options.seconds, size="1920x1080")
        made_in = time.perf_counter() - started
        cpu_before, started = children_cpu(), time.perf_counter()
        copies = ffmpeg.transcode(source, work)
        transcode_wall = time.perf_counter() - started
        transcode_cpu = children_cpu() - cpu_before
        started = time.perf_counter()
        ffmpeg.poster(copies[720], 1.0, work / "poster.jpg")
        poster_wall = time.perf_counter() - started
        sizes = {height: path.stat().st_size / 1e6 for height, path in copies.items()}
    lines = [
        f"source: {options.seconds} s of 1920x1080 at 25 fps (made in {made_in:.1f} s)",
        f"transcode to 720p + 480p: wall {transcode_wall:.1f} s, FFmpeg CPU {transcode_cpu:.1f} s,"
        f" {options.seconds / transcode_wall:.2f}x real time on {os.cpu_count()} cores",
        f"poster frame: wall {poster_wall:.2f} s",
        "copies: " + ", ".join(f"{h}p {mb:.1f} MB" for h, mb in sizes.items()),
    ]
    print("\n".join(lines))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "video.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
