"""VisText: ``data_{split}.json`` records (``caption_id``, ``img_id``, ``caption_L1``,
``caption_L2L3``, ``datatable``, ``scenegraph``) with ``images/<img_id>.png``. Each chart has
several caption records; each becomes a figure row (``{img_id}-{caption_id}``): the L1
(construction) and L2/L3 (statistics, trends) captions joined, the chart's data table kept as
its in-figure text."""

from __future__ import annotations

import re
from pathlib import Path

import ijson

from scitune_data.classify.cues import caption_cue
from scitune_data.importers.common import FigureSink, ImportError_, figure_row, first_existing, split_name

DATA_FILE = re.compile(r"^data_(train|val|valid|validation|test)\.json$")


def import_vistext(source: Path, out: Path) -> FigureSink:
    sink = FigureSink(out, "vistext")
    files = sorted(p for p in source.rglob("data_*.json") if DATA_FILE.match(p.name))
    if not files:
        raise ImportError_(f"{source}: no data_{{split}}.json files")
    for path in files:
        split = split_name(DATA_FILE.match(path.name).group(1))
        with path.open("rb") as handle:
            for number, entry in enumerate(ijson.items(handle, "item", use_float=True)):
                where = f"{path.name} record {number}"
                try:
                    image_id, caption_id = str(entry["img_id"]), str(entry.get("caption_id", number))
                    picture = first_existing([source / "images" / f"{image_id}.png", path.parent / "images" / f"{image_id}.png"])
                    if picture is None:
                        raise ImportError_(f"images/{image_id}.png not found")
                    caption = " ".join(filter(None, [entry.get("caption_L1", ""), entry.get("caption_L2L3", "")])).strip()
                    table = str(entry.get("datatable") or "")
                    sink.add(figure_row(
                        source="vistext", source_file=path.name, paper_id=image_id,
                        figure_id=f"{image_id}-{caption_id}", image=picture.read_bytes(), image_name=picture.name,
                        caption=caption, split=split, figure_type=caption_cue(caption) or "", figure_type_source="caption",
                        ocr=table.split() if table else []))
                except (KeyError, ImportError_, OSError) as error:
                    sink.error(path.name, f"{where}: {type(error).__name__}: {error}")
    return sink
