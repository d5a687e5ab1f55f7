"""The station's icon: hills over a river on the station red, drawn at any size.

One drawing for every copy: static/site/icon.svg is written by hand from the same shapes
(in a 64-unit square) and the PNG sizes browsers and phones ask for are drawn from them
with Pillow (``manage.py draw_icons``).
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

RED = (183, 28, 28)
WHITE = (255, 255, 255)
# The shapes in a 64 x 64 square (static/site/icon.svg draws the same).
CORNER = 12
HILLS = [(8, 44), (24, 18), (33, 31), (41, 22), (56, 44)]
RIVER_Y, RIVER_WIDTH = 51, 4
# name: edge in pixels
SIZES = {"favicon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192,
         "icon-512.png": 512}  # fmt: skip


def draw(size: int) -> Image.Image:
    """The icon as a square RGBA image of ``size`` pixels, drawn at 4x and scaled down."""
    scale = size * 4 / 64
    big = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    pen = ImageDraw.Draw(big)
    pen.rounded_rectangle([0, 0, size * 4 - 1, size * 4 - 1], radius=CORNER * scale, fill=RED)
    pen.polygon([(x * scale, y * scale) for x, y in HILLS], fill=WHITE)
    # The SVG's wave: a crest and a trough every 16 units.
    wave = [(x / 2, RIVER_Y - 2 * math.sin((x / 2 - 8) * math.pi / 8)) for x in range(16, 113)]
    pen.line([(x * scale, y * scale) for x, y in wave], fill=WHITE,
             width=round(RIVER_WIDTH * scale), joint="curve")  # fmt: skip
    return big.resize((size, size), Image.Resampling.LANCZOS)


def write_all(folder: Path) -> list[Path]:
    """Draw every PNG size and the favicon.ico into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size in SIZES.items():
        draw(size).save(folder / name, optimize=True)
        written.append(folder / name)
    draw(64).save(folder / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    written.append(folder / "favicon.ico")
    return written
