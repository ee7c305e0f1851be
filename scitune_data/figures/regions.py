"""Region proposer: grow a figure's region from its caption over the ink beside it.

From the caption, growth goes one way (above, below, left or right) over graphics and
non-prose text that overlap the caption's horizontal span, widening the span as graphics
join, and stops at the first body prose, heading, running head or other caption. Every side is
handled by one routine: the page is mirrored or transposed so the growth always runs down.
"""

from __future__ import annotations

from dataclasses import dataclass

from scitune_data.figures.captions import Caption
from scitune_data.figures.frame import Frame
from scitune_data.figures.page_model import PageModel
from scitune_data.geometry import Box, union_all

SIDES = ("above", "below", "left", "right")
EDGE_SLACK = 2.0  # points an element may poke past the caption or a blocker
MAX_GAP = 3.0  # largest empty band inside a region, in body font sizes


@dataclass(frozen=True, slots=True)
class Proposal:
    caption: Caption
    side: str
    box: Box  # page coordinates, union of the members
    members: frozenset[int]  # indices into PageModel.content
    gap: float  # distance from caption to region


def _orient(box: Box, side: str, width: float, height: float) -> Box:
    """Map a caption-frame box so that ``side`` of the caption lies below it."""
    if side == "above":
        return Box(box.x0, height - box.y1, box.x1, height - box.y0)
    if side == "right":
        return Box(box.y0, box.x0, box.y1, box.x1)
    if side == "left":
        return Box(box.y0, width - box.x1, box.y1, width - box.x0)
    return box


def _grow_down(caption: Box, blockers: list[Box], content: list[Box], bottom: float,
               max_gap: float) -> list[int]:
    window_x0, window_x1 = caption.x0, caption.x1
    members: list[int] = []
    while True:
        limit = min((b.y0 for b in blockers if b.y0 >= caption.y1 - EDGE_SLACK
                     and min(b.x1, window_x1) - max(b.x0, window_x0) > 1.0), default=bottom)
        candidates = sorted(
            (i for i, e in enumerate(content)
             if e.y0 >= caption.y1 - EDGE_SLACK and e.y1 <= limit + EDGE_SLACK
             and min(e.x1, window_x1) - max(e.x0, window_x0) > 0),
            key=lambda i: content[i].y0)
        chosen, reach = [], caption.y1
        for i in candidates:
            if content[i].y0 - reach > max_gap:
                break
            chosen.append(i)
            reach = max(reach, content[i].y1)
        region = union_all(content[i] for i in chosen)
        if region is None or chosen == members:
            return chosen
        members = chosen
        window_x0, window_x1 = min(window_x0, region.x0), max(window_x1, region.x1)


def propose(caption: Caption, model: PageModel, side: str, body_size: float) -> Proposal | None:
    layout = model.layout
    frame = Frame(caption.turns, layout.width, layout.height)
    sideways = caption.turns % 2 == 1
    width, height = (layout.height, layout.width) if sideways else (layout.width, layout.height)

    def oriented(box: Box) -> Box:
        return _orient(frame.to_frame(box), side, width, height)

    caption_box = _orient(caption.box, side, width, height)
    others = [Frame(c.turns, layout.width, layout.height).to_page(c.box)
              for c in model.captions if c is not caption]
    blockers = [oriented(b) for b in model.blockers + others]
    content = [oriented(b) for b in model.content]
    bottom = height if side in ("above", "below") else width
    members = _grow_down(caption_box, blockers, content, bottom, MAX_GAP * body_size)
    if not members:
        return None
    region = union_all(model.content[i] for i in members)
    near = union_all(content[i] for i in members)
    return Proposal(caption, side, region, frozenset(members), near.y0 - caption_box.y1)
