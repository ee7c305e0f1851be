"""Draw induced gold on its pages, for checking by eye: a random sample of items on one contact sheet.

Each tile is the item's page region (content box red, caption box blue) with the gold caption
text printed under it, so the printed caption and the gold string can be compared.

    python benchmarks/typeset/contact_sheet.py --gold-dir DIR [DIR ...] --n 40 --seed 0 --out sheet.png
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

TILE_W, TILE_IMAGE_H, TEXT_LINES = 640, 420, 12
FONT = ImageFont.load_default(size=13)


def gold_items(gold_dirs: list[Path]) -> list[tuple[Path, dict]]:
    items = []
    for folder in gold_dirs:
        for gold_file in sorted(folder.glob("*.gold.json")):
            pdf = gold_file.with_name(gold_file.name[: -len(".gold.json")] + ".pdf")
            items += [(pdf, item) for item in json.loads(gold_file.read_text())["figures"]]
    return items


def tile(pdf: Path, item: dict) -> Image.Image:
    with pymupdf.open(pdf) as doc:
        page = doc[item["page"] - 1]
        box, cap = pymupdf.Rect(item["bbox"]), pymupdf.Rect(item["caption_bbox"])
        region = (box | cap) + (-18, -18, 18, 18)
        region &= page.rect
        zoom = min(TILE_W / region.width, TILE_IMAGE_H / region.height, 3.0)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=region, alpha=False)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    draw = ImageDraw.Draw(image)
    for rect, colour in ((box, (220, 0, 0)), (cap, (0, 60, 230))):
        draw.rectangle([(rect.x0 - region.x0) * zoom, (rect.y0 - region.y0) * zoom,
                        (rect.x1 - region.x0) * zoom, (rect.y1 - region.y0) * zoom], outline=colour, width=2)
    out = Image.new("RGB", (TILE_W, TILE_IMAGE_H + 16 * (TEXT_LINES + 1)), "white")
    out.paste(image, ((TILE_W - image.width) // 2, 0))
    text = ImageDraw.Draw(out)
    head = f"{pdf.stem} p{item['page']} {item['label']} [{', '.join(item.get('features', []))}]"
    lines = textwrap.wrap(head, 88)[:2] + textwrap.wrap("gold: " + item["caption"], 88)
    if len(lines) > TEXT_LINES:
        lines = lines[:TEXT_LINES - 1] + ["... " + lines[-1][-88:]]
    for i, line in enumerate(lines):
        text.text((4, TILE_IMAGE_H + 4 + 16 * i), line, fill=(0, 0, 0) if i > 1 else (120, 0, 0), font=FONT)
    return out


def contact_sheet(items: list[tuple[Path, dict]], columns: int = 5) -> Image.Image:
    tiles = [tile(pdf, item) for pdf, item in items]
    rows = (len(tiles) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * (TILE_W + 6), rows * (tiles[0].height + 6)), (90, 90, 90))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % columns) * (TILE_W + 6), (i // columns) * (t.height + 6)))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold-dir", type=Path, nargs="+", required=True)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--columns", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    items = gold_items(args.gold_dir)
    sample = random.Random(args.seed).sample(items, min(args.n, len(items)))
    contact_sheet(sample, args.columns).save(args.out)
    print(f"{args.out}: {len(sample)} of {len(items)} items")


if __name__ == "__main__":
    main()
