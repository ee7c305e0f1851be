"""VisText: ``data_{split}.json`` records (``caption_id``, ``img_id``, ``caption_L1``,
``caption_L2L3``, ``datatable``, ``scenegraph``) with the chart images (``<img_id>.png``, usually
under ``images/``, found by name anywhere under ``--source``). Each chart has several caption
records; each becomes a figure row (``{img_id}-{caption_id}``): the L1 (construction) and L2/L3
(statistics, trends) captions joined, the chart's data table kept as its in-figure text."""

from __future__ import annotations

import re
from pathlib import Path

from scitune_data.classify.cues import caption_cue
from scitune_data.importers.common import CorpusError, FigureSink, as_object, imported_row, json_array, text_field
from scitune_data.importers.source_files import SourceFiles
from scitune_data.output_layout import SPLIT_WORDS, split_name

DATA_FILE = re.compile(rf"^data_({SPLIT_WORDS})\.json$")


def _identifier(entry: dict, key: str, default: str | None = None) -> str:
    """An id given as a string or a whole number."""
    value = entry.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text_field(entry, key, default)


def import_vistext(source: Path, out: Path) -> FigureSink:
    files = sorted(p for p in source.rglob("data_*.json") if DATA_FILE.match(p.name))
    if not files:
        raise CorpusError(f"{source}: no data_{{split}}.json files")
    images = SourceFiles(source)
    sink = FigureSink(out, "vistext")
    for path in files:
        name = path.relative_to(source).as_posix()
        split = split_name(DATA_FILE.match(path.name).group(1))
        hints = [path.parent.relative_to(source).joinpath("images").as_posix(), "images"]
        with sink.entry(name), path.open("rb") as handle:
            for number, item in enumerate(json_array(handle)):
                with sink.entry(name, f"record {number}"):
                    entry = as_object(item, "record")
                    image_id, caption_id = _identifier(entry, "img_id"), _identifier(entry, "caption_id", str(number))
                    picture, picture_path = images.read(f"{image_id}.png", hints)
                    caption = " ".join(filter(None, [text_field(entry, "caption_L1", ""),
                                                     text_field(entry, "caption_L2L3", "")])).strip()
                    table = text_field(entry, "datatable", "")
                    sink.add(imported_row(
                        source="vistext", source_file=name, paper_id=image_id, figure_id=f"{image_id}-{caption_id}",
                        image=picture, image_name=picture_path, caption=caption, split=split,
                        figure_type=caption_cue(caption) or "", figure_type_source="caption",
                        ocr=table.split() if table else []))
    return sink
