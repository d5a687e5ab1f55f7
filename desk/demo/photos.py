"""Abstract demo photographs drawn with Pillow: skies, ridges, rivers, lights.

Each picture is drawn from a palette name and a seed, so the same key always gives the
same image and the demo can be rebuilt byte for byte.
"""

import functools
import io
import math
import random

from PIL import Image, ImageColor, ImageDraw

WIDTH, HEIGHT = 1200, 800  # the canvas the scenes are drawn on
PHOTO_SIZE = (840, 560)  # handed to the library: wider than the watermark's minimum

# sky top, sky bottom, far ridge, near ridge, ground, accent
PALETTES: dict[str, tuple[str, ...]] = {
    "river": ("#8ec5e8", "#e3f1f8", "#7a9a8c", "#4f7565", "#3f7fa6", "#f4f1de"),
    "mountain": ("#a7c7e7", "#f0e6d2", "#8d9c8a", "#52685a", "#3b5245", "#ffffff"),
    "field": ("#9fd3f0", "#f6f3d9", "#93b07a", "#6f9a4f", "#c9b458", "#f2c14e"),
    "town": ("#f3c58b", "#fbe9d0", "#9c8f80", "#6e5f52", "#8a6f5a", "#c0392b"),
    "night": ("#0b1d3a", "#2c3e66", "#1c2a44", "#121c2e", "#0d1424", "#ffd56b"),
    "festival": ("#f7b2a1", "#fde3d0", "#b5655d", "#8c3b35", "#7a2e2a", "#ffd447"),
    "harvest": ("#ffd59e", "#fff3dc", "#9cae6b", "#6d8a3f", "#4f6b2c", "#f39c12"),
    "school": ("#a9d6f5", "#eef7fd", "#9fb9a4", "#6f8f77", "#c8b8a0", "#e74c3c"),
}


def _sky(draw: ImageDraw.ImageDraw, top: str, bottom: str) -> None:
    a, b = ImageColor.getrgb(top), ImageColor.getrgb(bottom)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))
        )


def _ridge(draw: ImageDraw.ImageDraw, rng: random.Random, base: float, height: float, colour: str):
    phase, wave = rng.uniform(0, math.tau), rng.uniform(0.004, 0.012)
    points = [(0, HEIGHT)]
    for x in range(0, WIDTH + 20, 20):
        y = base - height * (0.6 * math.sin(x * wave + phase) + 0.4 * math.sin(x * wave * 2.7))
        points.append((x, y + rng.uniform(-6, 6)))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def _accents(draw: ImageDraw.ImageDraw, rng: random.Random, palette: str, colour: str) -> None:
    if palette in {"town", "school"}:
        for _ in range(rng.randint(5, 9)):
            x, w, h = rng.randint(0, WIDTH - 120), rng.randint(60, 140), rng.randint(60, 160)
            draw.rectangle([x, 640 - h, x + w, 640], fill="#f5efe6", outline="#5b4636", width=3)
            draw.polygon(
                [(x - 10, 640 - h), (x + w // 2, 600 - h), (x + w + 10, 640 - h)], fill=colour
            )
    elif palette in {"festival", "harvest", "field"}:
        for _ in range(rng.randint(18, 40)):
            x, y, r = rng.randint(0, WIDTH), rng.randint(520, HEIGHT), rng.randint(6, 22)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    elif palette == "night":
        for _ in range(60):
            x, y = rng.randint(0, WIDTH), rng.randint(0, 380)
            draw.ellipse([x, y, x + 2, y + 2], fill="#ffffff")
        for _ in range(25):
            x, y = rng.randint(0, WIDTH), rng.randint(560, 700)
            draw.rectangle([x, y, x + 6, y + 9], fill=colour)
    x, y = rng.randint(150, WIDTH - 150), rng.randint(90, 200)
    draw.ellipse(
        [x - 45, y - 45, x + 45, y + 45], fill="#fff6d5" if palette != "night" else colour
    )


@functools.cache  # the same palette and seed always give the same bytes
def draw_photo(palette: str, seed: str) -> bytes:
    """Return a JPEG picture for a palette name; the seed makes each one different."""
    colours = PALETTES.get(palette, PALETTES["mountain"])
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, colours[0], colours[1])
    _ridge(draw, rng, 430, 110, colours[2])
    _ridge(draw, rng, 540, 80, colours[3])
    draw.rectangle([0, 640, WIDTH, HEIGHT], fill=colours[4])
    if palette == "river":
        draw.polygon([(0, 700), (WIDTH, 610), (WIDTH, 690), (0, HEIGHT)], fill="#6fb3d9")
    _accents(draw, rng, palette, colours[5])
    # Down and up again: softens the hard polygon edges far faster than a blur.
    image = image.reduce(2).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
