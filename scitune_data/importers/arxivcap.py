"""ArxivCap (``MMInstruction/ArxivCap``, Multimodal ArXiv, arXiv 2403.00231): the Hub's Parquet
files (``data/arXiv_src_YYMM_NNN.parquet``), one row per paper:

- ``arxiv_id``, ``title``, ``abstract``, ``src`` and ``meta`` (``meta_from_kaggle``: ``license``,
  ``categories``; ``meta_from_s2``: citation counts);
- ``caption_images``: a list of ``{caption, cil_pairs}``, one per captioned figure, each
  ``cil_pairs`` item one image of it (a sub-figure when there are several) with its
  ``sub_caption``, ``image_file``, ``image`` (the ``Image`` feature: bytes, path) and
  ``image_ocr`` (its words).

Each image becomes a figure row: paper id the arXiv id, figure id
``caption{i}-image{j}`` (1-based, so unique within the paper whatever the file names), caption the
figure's caption followed by the sub-caption, in-figure text the corpus's OCR. ArxivCap has no
splits of its own: records are split by paper. Files are read a few papers at a time.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from scitune_data.classify.cues import caption_cue
from scitune_data.importers.common import CorpusError, FigureSink, as_object, imported_row, text_field, texts_field
from scitune_data.importers.source_files import SourceFiles

COLUMNS = ("arxiv_id", "caption_images")
PAPERS_PER_BATCH = 4  # a row holds every image of a paper


def _image(pair: dict, files: SourceFiles) -> tuple[bytes, str]:
    """The image's bytes and a name for it: embedded, or the file its path names inside the source."""
    image = as_object(pair.get("image") or {}, "field 'image'")
    name = text_field(pair, "image_file", "") or text_field(image, "path", "")
    if image.get("bytes"):
        return image["bytes"], name or "embedded image"
    if name:
        return files.read(name)
    raise CorpusError("image holds neither bytes nor a file name")


def _paper(row: dict, relative: str, files: SourceFiles, sink: FigureSink) -> None:
    paper_id = text_field(row, "arxiv_id").strip()
    if not paper_id:
        raise CorpusError("field 'arxiv_id' is empty")
    for i, group in enumerate(row.get("caption_images") or [], start=1):
        with sink.entry(relative, f"paper {paper_id} caption {i}"):
            group = as_object(group, "caption_images item")
            caption = text_field(group, "caption", "").strip()
            for j, pair in enumerate(group.get("cil_pairs") or [], start=1):
                with sink.entry(relative, f"paper {paper_id} caption {i} image {j}"):
                    pair = as_object(pair, "cil_pairs item")
                    data, name = _image(pair, files)
                    text = " ".join(filter(None, [caption, text_field(pair, "sub_caption", "").strip()]))
                    sink.add(imported_row(
                        source="arxivcap", source_file=relative, paper_id=paper_id, figure_id=f"caption{i}-image{j}",
                        image=data, image_name=name, caption=text, split=None,
                        figure_type=caption_cue(text) or "", figure_type_source="caption",
                        ocr=texts_field(pair, "image_ocr")))


def import_arxivcap(source: Path, out: Path) -> FigureSink:
    paths = sorted(source.rglob("*.parquet"), key=lambda p: p.relative_to(source).as_posix())
    if not paths:
        raise CorpusError(f"{source}: no *.parquet files (ArxivCap's data/arXiv_src_*.parquet)")
    files = SourceFiles(source)
    sink = FigureSink(out, "arxivcap")
    for path in paths:
        relative = path.relative_to(source).as_posix()
        with sink.entry(relative):
            parquet = pq.ParquetFile(path)
            missing = [c for c in COLUMNS if c not in parquet.schema_arrow.names]
            if missing:
                raise CorpusError(f"not an ArxivCap file: no {', '.join(missing)} column")
            rows = (row for batch in parquet.iter_batches(batch_size=PAPERS_PER_BATCH, columns=list(COLUMNS))
                    for row in batch.to_pylist())
            for number, row in enumerate(rows):
                with sink.entry(relative, f"row {number}"):
                    _paper(row, relative, files, sink)
    return sink
