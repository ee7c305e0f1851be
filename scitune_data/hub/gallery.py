"""``inspect --html``: a static, self-contained HTML gallery for quality review.

``DIR/index.html`` opens from disk (no server): ``index.js`` holds a compact index of every
figure (type, paper, splits, tasks, caption words) for filtering, and the figures' details sit in
``chunks/chunk-NNNNN.js`` files of 500, loaded only for the page on screen, so 100,000 figures
stay usable. Crops are written as thumbnails; with ``--pdf-dir`` each figure also gets its page
thumbnail with the bbox drawn. Filters live in the URL (``#type=Table&page=2``).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq
from PIL import Image, ImageDraw

from scitune_data.out_folder import owned_figure_parts
from scitune_data.output_layout import ERRORS_FILE, FIGURE_PARTS, FIGURES_DIR, shard_files, shard_split

CHUNK = 500
THUMB = 320
WORD = re.compile(r"[a-z0-9]+")


def _thumbnail(data: bytes, folder: Path) -> str:
    name = hashlib.sha256(data).hexdigest()[:24] + ".png"
    target = folder / "img" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGB")
            image.thumbnail((THUMB, THUMB))
            image.save(target, optimize=True)
    return f"img/{name}"


def _page_image(pdf_dir: Path, row: dict, folder: Path) -> str | None:
    import pymupdf  # noqa: PLC0415

    if not row.get("page") or not row.get("bbox") or not row.get("source_file"):
        return None
    path = pdf_dir / row["source_file"]
    if not path.is_file():
        return None
    key = f"{row['source_file']}:{row['figure_id']}".encode()
    name = f"pages/{hashlib.sha256(key).hexdigest()[:24]}.png"
    target = folder / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with pymupdf.open(path) as doc:
            scale = 50 / 72
            pix = doc[row["page"] - 1].get_pixmap(dpi=50)
        image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
        x0, y0, x1, y1 = (v * scale for v in row["bbox"])
        ImageDraw.Draw(image).rectangle((x0, y0, x1, y1), outline=(220, 30, 30), width=2)
        image.save(target, optimize=True)
    return name


def _record_index(out: Path) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for path in shard_files(out):
        if shard_split(path):
            for row in pq.read_table(path, columns=["paper_id", "figure_id", "split", "task"]).to_pylist():
                splits, tasks = found[(row["paper_id"], row["figure_id"])]
                splits.add(row["split"])
                tasks.add(row["task"])
    return found


def build_gallery(out: Path, dest: Path, pdf_dir: Path | None = None, limit: int | None = None) -> int:
    """Write the gallery; returns how many figures it shows."""
    parts = owned_figure_parts(out)  # not a user's Parquet file beside them
    if not parts:
        raise FileNotFoundError(f"{out}: no figures table ({FIGURES_DIR}/{FIGURE_PARTS})")
    (dest / "chunks").mkdir(parents=True, exist_ok=True)
    records = _record_index(out)
    items, chunk, number = [], [], 0
    facets: dict[str, set[str]] = defaultdict(set)

    def flush() -> None:
        nonlocal chunk, number
        if chunk:
            (dest / "chunks" / f"chunk-{number:05d}.js").write_text(
                f"galleryChunk({number}, {json.dumps(chunk, ensure_ascii=False)});\n", encoding="utf-8")
            number, chunk = number + 1, []

    for path in parts:
        for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=128):
            for row in batch.to_pylist():
                if limit is not None and len(items) >= limit:
                    break
                splits, tasks = records.get((row["paper_id"], row["figure_id"]), (set(), set()))
                entry = {
                    "paper": row["paper_id"], "figure_id": row["figure_id"], "label": row.get("label") or "",
                    "type": row.get("figure_type") or "", "caption": row["caption"], "ocr": row.get("ocr") or [],
                    "mentions": row.get("mentions") or [], "page": row.get("page"), "bbox": row.get("bbox"),
                    "splits": sorted(splits), "tasks": sorted(tasks), "image": _thumbnail(row["image"]["bytes"], dest),
                    "page_image": _page_image(pdf_dir, row, dest) if pdf_dir else None,
                }
                words = " ".join(sorted(set(WORD.findall(row["caption"].lower()))))
                items.append([number, len(chunk), entry["type"], entry["paper"], entry["splits"], entry["tasks"], words])
                chunk.append(entry)
                facets["type"].add(entry["type"])
                facets["paper"].add(entry["paper"])
                facets["split"].update(splits)
                facets["task"].update(tasks)
                if len(chunk) == CHUNK:
                    flush()
    flush()
    errors = []
    if (out / ERRORS_FILE).is_file():
        for error in pq.read_table(out / ERRORS_FILE).to_pylist():
            link = (pdf_dir / error["file"]).resolve().as_uri() if pdf_dir and (pdf_dir / error["file"]).exists() else None
            errors.append({k: error[k] for k in ("file", "stage", "error_type", "message")} | {"link": link})
    index = {"title": str(out), "items": items, "errors": errors,
             "facets": {k: sorted(v for v in values if v) for k, values in facets.items()} | {
                 k: [] for k in ("type", "task", "split", "paper") if k not in facets}}
    (dest / "index.js").write_text(f"window.GALLERY_INDEX = {json.dumps(index, ensure_ascii=False)};\n", encoding="utf-8")
    (dest / "index.html").write_text(resources.files("scitune_data.hub.gallery_site").joinpath("index.html").read_text(),
                                     encoding="utf-8")
    return len(items)
