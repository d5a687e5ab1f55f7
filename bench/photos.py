"""Photo pipeline benchmark: one 24-megapixel camera JPEG through the whole pipeline.

Usage: python bench/photos.py [--runs N]

Draws a 6000×4000 JPEG with EXIF orientation 6 (shot in portrait), camera and GPS tags,
then, each in a fresh process so that peak memory belongs to it alone, runs N times:

- the pipeline: check the upload (type, limits, hidden markup, full read at 1/8 scale),
  then draw every copy (DCT-scaled decode, upright, sRGB, each width from the one above,
  watermark, WebP and JPEG encoded once each, cover crop) and write them to disk;
- a naive baseline: full decode, upright at full size, then for every width and format
  ``thumbnail()`` from the full image, watermark, save.

Prints `wall <s> s` (median of the runs) and `peak <MB> MB` (the process's peak RSS,
Python and Django included) for each, their CPU time (wall time also counts waiting for
a core on a busy machine) and their ratio. Also written to bench/results/photos.txt.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZE = (6000, 4000)


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()


def camera_jpeg(path: Path) -> None:
    """A photo-like 24-megapixel JPEG: gradients, shapes and sensor-like noise, rotated."""
    from PIL import Image, ImageDraw, ImageFilter

    sky = Image.linear_gradient("L").resize(SIZE)
    grain = Image.effect_noise(SIZE, 10).filter(ImageFilter.GaussianBlur(0.6))
    image = Image.merge("RGB", (sky.point(lambda v: 90 + v // 2), grain, sky.rotate(180)))
    draw = ImageDraw.Draw(image)
    for n in range(40):  # hills and houses: edges for the encoders to keep
        x, y = (n * 613) % SIZE[0], 2000 + (n * 347) % 1800
        draw.rectangle([x, y, x + 420, y + 300], fill=(180 - n, 120 + n, 90 + 2 * n))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R6"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (28.0, 18.0, 36.0), 3: "E", 4: (109.0, 44.0, 24.0)})
    image.save(path, "JPEG", quality=92, exif=exif)


def pipeline(data: bytes, out: Path) -> None:
    from photos import images

    images.check_upload(data)
    for copy in images.render(data, watermark=True):
        (out / f"{copy.kind}-{copy.name().replace('/', '_')}").write_bytes(copy.data)


def naive(data: bytes, out: Path) -> None:
    from django.conf import settings
    from PIL import Image, ImageOps

    from photos import images

    full = ImageOps.exif_transpose(Image.open(io.BytesIO(data)).convert("RGB"))
    for width in images.plan_widths(full.width, settings.NEWSROOM_PHOTO_WIDTHS):
        for fmt in ("WEBP", "JPEG"):
            copy = full.copy()
            copy.thumbnail((width, full.height))
            if width >= settings.NEWSROOM_WATERMARK_MIN_WIDTH:
                copy = images.apply_watermark(copy)
            copy.save(out / f"{width}.{fmt.lower()}", fmt)


def child(kind: str, source: Path, runs: int) -> None:
    """Run one variant `runs` times in this process and print its figures as JSON."""
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        data = source.read_bytes()
        out = Path(workdir)
        step = pipeline if kind == "pipeline" else naive
        walls, cpus = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            step(data, out)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - start_cpu)
        check_output(out, kind)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "peak": peak}
    print(json.dumps(figures))


def check_output(out: Path, kind: str) -> None:
    """The figures count only if the copies are right: upright, and without EXIF or GPS."""
    from PIL import Image

    for path in out.glob("full-*.jpg" if kind == "pipeline" else "*.jpeg"):
        with Image.open(path) as copy:
            assert copy.height > copy.width, f"{path.name} is not upright"
            assert kind != "pipeline" or not copy.getexif(), f"{path.name} kept EXIF"


def measure(kind: str, source: Path, runs: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--source", str(source), "--runs", str(runs)],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"The {kind} run failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["pipeline", "naive"])
    parser.add_argument("--source", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.source, args.runs)
        return
    with tempfile.TemporaryDirectory() as workdir:
        source = Path(workdir) / "camera.jpg"
        camera_jpeg(source)
        megabytes = source.stat().st_size / 1024 / 1024
        fast = measure("pipeline", source, args.runs)
        slow = measure("naive", source, args.runs)
    lines = [
        f"24-megapixel JPEG, 6000×4000, EXIF-rotated, GPS tags, {megabytes:.1f} MB; "
        f"median of {args.runs} runs, peak RSS of a fresh process",
        f"wall {fast['wall']:.3f} s",
        f"peak {fast['peak']:.0f} MB",
        f"naive wall {slow['wall']:.3f} s",
        f"naive peak {slow['peak']:.0f} MB",
        # On a busy machine wall time includes waiting for a core; CPU time does not.
        f"cpu {fast['cpu']:.3f} s, naive cpu {slow['cpu']:.3f} s",
        f"ratio {slow['wall'] / fast['wall']:.1f}× faster, "
        f"{slow['peak'] / fast['peak']:.1f}× less memory",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "photos.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
