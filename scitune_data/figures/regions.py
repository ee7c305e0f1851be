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


def page_proposals(model: PageModel, body_size: float) -> dict[int, dict[str, Proposal]]:
    """For every caption on the page (by ``id``), the region found on each side that has one."""
    layout = model.layout
    caption_boxes = [Frame(c.turns, layout.width, layout.height).to_page(c.box) for c in model.captions]
    found: dict[int, dict[str, Proposal]] = {id(c): {} for c in model.captions}
    for turns in sorted({c.turns for c in model.captions}):
        frame = Frame(turns, layout.width, layout.height)
        sideways = turns % 2 == 1
        width, height = (layout.height, layout.width) if sideways else (layout.width, layout.height)
        for side in SIDES:
            def oriented(box: Box) -> Box:
                return _orient(frame.to_frame(box), side, width, height)

            blockers = [oriented(b) for b in model.blockers]
            content = [oriented(b) for b in model.content]
            captions = [oriented(b) for b in caption_boxes]
            bottom = height if side in ("above", "below") else width
            for index, caption in enumerate(model.captions):
                if caption.turns != turns:
                    continue
                others = blockers + captions[:index] + captions[index + 1:]
                members = _grow_down(captions[index], others, content, bottom, MAX_GAP * body_size)
                if members:
                    near = union_all(content[i] for i in members)
                    found[id(caption)][side] = Proposal(
                        caption, side, union_all(model.content[i] for i in members),
                        frozenset(members), near.y0 - captions[index].y1)
    return found
