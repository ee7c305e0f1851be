"""What the benchmark says about each induced item besides its boxes: the kind of graphics inside,
features (caption side and length, label style, environment, rotation) and caption checks against
the TeX source."""

from __future__ import annotations

import re

import pymupdf

from pageframe import PageFrame, Rect
from records import Box, Caption


def graphics_kind(page: pymupdf.Page, frame: PageFrame, bbox: Rect) -> str:
    """raster | vector | mixed | text | text+rules: the PDF objects inside the box, as in the corpus gold."""
    box = pymupdf.Rect(frame.to_unrot_from_shown(bbox))
    area = max(box.get_area(), 1e-6)
    raster = any((pymupdf.Rect(info["bbox"]) & box).get_area() > 0.05 * area for info in page.get_image_info())
    shapes = rules = 0
    for drawing in page.get_cdrawings():
        r = pymupdf.Rect(drawing["rect"])
        if not box.contains(pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)):
            continue
        if min(r.width, r.height) < 1.5:
            rules += 1
        else:
            shapes += 1
    text = any(box.contains(pymupdf.Point(ch.origin)) for line in frame.lines() for ch in line if not ch.c.isspace())
    if raster:
        return "mixed" if shapes else "raster"
    if shapes:
        return "vector"
    if text:
        return "text+rules" if rules else "text"
    return "vector"


TEX_DROP = re.compile(r"\\(label|ref|eqref|autoref|cref|Cref|cite[a-z]*|url|href|hspace|vspace|includegraphics)\s*\*?"
                      r"(\s*\[[^\]]*\])*\s*\{[^{}]*\}|\\[A-Za-z@]+\s*\{[^{}\s]*\}|\$[^$]*\$|\\\(.*?\\\)|\\[A-Za-z@]+\*?|[{}~]")


def tex_words(tex: str) -> list[str]:
    """Plain words of a caption's TeX source: macros, math, labels and citations removed."""
    return [w.lower() for w in re.findall(r"[A-Za-z]{3,}", TEX_DROP.sub(" ", tex))]


def caption_checks(printed: str, label: str, tex: str) -> list[str]:
    """Words of the caption's TeX source missing from the printed caption, and many printed words the
    source lacks: a caption cut short, or one that swallowed a neighbour."""
    printed_words, source = set(plain_words(printed)), tex_words(tex)
    problems = []
    missing = [w for w in source if w not in printed_words and not any(w in p for p in printed_words)]
    if missing:
        problems.append(f"TeX words not printed in the caption: {' '.join(sorted(set(missing)))[:120]}")
    source_set = set(source)
    extra = [w for w in printed_words - set(plain_words(label)) if len(w) >= 3 and w not in source_set
             and not any(w in s for s in source_set)]
    if source and len(extra) > max(3, len(source) // 4):
        problems.append(f"printed words not in the TeX source: {' '.join(sorted(extra))[:120]}")
    return problems


def plain_words(text: str) -> list[str]:
    """Lower-case words, a word broken at a line end ('equa- tion') joined again."""
    return re.findall(r"[a-z]+", re.sub(r"-\s+", "", text.lower()))


def label_style(label: str) -> str:
    """'Fig. A1' -> 'Fig.', 'TABLE IV' -> 'TABLE', 'Supplementary Figure S2' -> 'Supplementary Figure'."""
    words = label.split()
    while len(words) > 1 and re.fullmatch(r"[A-Z]?[.\d]*\d[a-z]?|[IVXL]+|[A-Z]", words[-1]):
        words.pop()
    return " ".join(words)


def derived_features(caption: Caption, label: str, caption_rect: Rect, bbox: Rect, lines: int,
                     containers: dict[str, Box], frame: PageFrame) -> list[str]:
    """Features every paper has, tagged or not: environment, caption side and length, label, rotation.
    ``caption_rect`` is in unrotated page space, ``bbox`` in displayed space."""
    features = [f"env:{caption.float_env}"]
    box = containers.get(caption.container)
    if box is not None and box.mark.kind == "ME" and box.parent in containers \
            and not caption.float_env.startswith("sideways"):  # rotating's own minipage is not one
        features.append("own-caption-minipage")
    to_caption = caption.start.to_page
    cap = frame.to_frame(to_caption, caption_rect)
    content = frame.to_frame(to_caption, frame.to_unrot_from_shown(bbox))
    if content[3] <= cap[1] + 1:
        features.append("caption-above")
    elif content[1] >= cap[3] - 1:
        features.append("caption-below")
    else:
        features.append("caption-beside")
    features.append("caption-1-line" if lines == 1 else "caption-2-3-lines" if lines <= 3 else "caption-4+-lines")
    features.append(f"label:{label_style(label)}")
    if frame.page.rotation:
        features.append("rotated-page")
    if to_caption.rotated:
        features.append("sideways")
    return features


