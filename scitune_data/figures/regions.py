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
from scitune_data.figures.page_model import DocumentStyle, PageModel
from scitune_data.geometry import Box, union_all

SIDES = ("above", "below", "left", "right")
EDGE_SLACK = 0.3  # body sizes an element may poke past the caption or a blocker (text boxes of
# adjacent lines overlap by their leading)
MAX_GAP = 3.0  # largest empty band inside a region, in body font sizes
FIRST_GAP = 2.0  # ...times this between the caption and the region (a wrapped figure's spacing)
LABEL_REACH = 1.5  # text this many body sizes from a figure's graphics still labels them
MIN_SIDE = 0.8  # a region narrower or lower than this many body sizes is a rule, not a figure
RULE = 1.5  # points: a graphic this thin is a rule
PASSAGE_SHARE = 0.75  # a table region of text only with this share of running-text lines is a passage
RULE_SLACK = 1.5  # body sizes a rule may run past the rest of a region and still belong to it


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
               max_gap: float, span: tuple[float, float] | None = None,
               other_captions: list[Box] = ()) -> list[int]:
    """Indices of the content elements that make the region below ``caption``. Growth is
    monotonic: an element once taken stays, however far the window widens. ``span``: the
    text columns the float may fill (its row-mates are looked for there, away from other
    captions' columns)."""
    window_x0, window_x1 = caption.x0, caption.x1
    members: set[int] = set()
    slack = EDGE_SLACK * max_gap / MAX_GAP
    ahead = [b for b in blockers if b.y0 >= caption.y1 - slack]
    while True:
        limit = min((b.y0 for b in ahead if min(b.x1, window_x1) - max(b.x0, window_x0) > 1.0), default=bottom)
        candidates = {i for i, e in enumerate(content)
                      if e.y0 >= caption.y1 - slack and e.y1 <= limit + slack
                      and min(e.x1, window_x1) - max(e.x0, window_x0) > 0}
        taken, reach = set(), caption.y1
        for i in sorted(candidates | members, key=lambda i: content[i].y0):
            gap = max_gap * (FIRST_GAP if reach == caption.y1 else 1.0)
            if i not in members and content[i].y0 - reach > gap:
                break
            if i not in members and _shadowed(content[i], caption, ahead, slack):
                continue
            taken.add(i)
            reach = max(reach, content[i].y1)
        if taken <= members:
            return sorted(members)
        members |= taken
        region = union_all(content[i] for i in members)
        window_x0, window_x1 = min(window_x0, region.x0), max(window_x1, region.x1)
        if span is not None:
            band = (caption.y1 - slack, limit + slack)
            # other captions at the caption's height (side-by-side minipages) or in the band
            claimed = [c for c in other_captions if c.y0 < band[1] and c.y1 > caption.y0 - caption.height]
            window_x0, window_x1 = _widen(members, content, blockers, (window_x0, window_x1), band, span, claimed)


def _shadowed(element: Box, caption: Box, ahead: list[Box], slack: float) -> bool:
    """Whether body text, a heading or another caption lies between ``caption`` and
    ``element`` within the element's own columns: a one-column float does not reach past the
    neighbouring column's prose to a title or abstract set across the page."""
    return any(b.y1 <= element.y0 + slack and min(b.x1, element.x1) - max(b.x0, element.x0) > 1.0
               for b in ahead)


def _widen(members: set[int], content: list[Box], blockers: list[Box], window: tuple[float, float],
           band: tuple[float, float], span: tuple[float, float], claimed: list[Box]) -> tuple[float, float]:
    """The window widened over the region's row-mates: elements beside it on the rows it
    holds, within the float's text columns, with no body text between and not under, over
    or beyond another caption beside it (a table's cells or a figure's panels wider than a
    short centred caption; not the next minipage's table)."""
    x0, x1 = window
    rows = _merged(sorted((content[i].y0, content[i].y1) for i in members))
    while True:
        mates = [e for i, e in enumerate(content) if i not in members and band[0] <= e.y0 and e.y1 <= band[1]
                 and (e.x1 <= x0 or e.x0 >= x1) and span[0] <= e.x0 and e.x1 <= span[1]
                 and _covered(e, rows) >= 0.5 * max(e.height, 0.1)
                 and not any(_across(c, e, x0, x1) for c in claimed)
                 and not any(b.intersection(Box(min(e.x1, x1), e.y0, max(e.x0, x0), e.y1)) for b in blockers)]
        if not mates:
            return x0, x1
        x0, x1 = min([x0] + [e.x0 for e in mates]), max([x1] + [e.x1 for e in mates])


def _across(caption: Box, element: Box, x0: float, x1: float) -> bool:
    """Whether another float's ``caption`` stands over ``element`` or between it and the
    window ``x0..x1`` (the element is that float's, however far its columns reach)."""
    if element.x0 >= x1:
        return caption.x1 > x1 and caption.x0 < element.x1
    return caption.x0 < x0 and caption.x1 > element.x0


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(box: Box, spans: list[tuple[float, float]]) -> float:
    """How much of ``box``'s height the ``spans`` cover."""
    return sum(max(0.0, min(end, box.y1) - max(start, box.y0)) for start, end in spans)


def _labels(text: Box, cluster: Box, caption: Box, reach: float) -> bool:
    """Whether a text box belongs with the graphics ``cluster``: above or below it (mostly
    within its columns) or beside it (in its rows) no farther than ``reach``, as a label
    is; or beside it anywhere under the caption's span, as a text panel is (a table set
    next to a plot, both over one caption)."""
    if text.overlap_x(cluster) >= 0.5 * text.width:
        return max(text.y0 - cluster.y1, cluster.y0 - text.y1) <= reach
    if text.overlap_y(cluster) >= 0.5 * text.height:
        near = max(text.x0 - cluster.x1, cluster.x0 - text.x1) <= reach
        return near or caption.x0 - reach <= text.x0 and text.x1 <= caption.x1 + reach
    return False


def _near_graphics(members: list[int], model: PageModel, caption: Box, reach: float) -> list[int]:
    """A figure with graphics keeps the text chained to them by labels (axis titles, legends,
    panel text), not a title or author block that growth reached across a gap."""
    kept = [i for i in members if i < model.graphic_count]
    cluster = union_all(model.content[i] for i in kept)
    if cluster is None:
        return members
    pending = [i for i in members if i >= model.graphic_count]
    while True:
        joined = [i for i in pending if _labels(model.content[i], cluster, caption, reach)]
        if not joined:
            return sorted(kept)
        kept += joined
        pending = [i for i in pending if i not in joined]
        cluster = union_all([cluster] + [model.content[i] for i in joined])


def _is_rule(box: Box) -> bool:
    return min(box.width, box.height) <= RULE


def _drop_layout_rules(members: list[int], boxes: list[Box], text_block: tuple[float, float],
                       slack: float) -> list[int]:
    """A rule across the whole text block that runs well past the rest of the region on both
    ends belongs to the page's design (a publisher's rule above every caption), not to the
    figure or table it passes. ``boxes`` are upright page boxes."""
    core = union_all(boxes[i] for i in members if not _is_rule(boxes[i]))
    if core is None:
        return members
    left, right = text_block

    def layout_rule(box: Box) -> bool:
        return (box.height <= RULE and box.x0 <= left + slack and box.x1 >= right - slack
                and box.x0 < core.x0 - slack and box.x1 > core.x1 + slack)

    return [i for i in members if not layout_rule(boxes[i])]


def _drop_trailing_notes(members: list[int], content: list[Box], notes: set[int]) -> list[int]:
    """A table's footnotes ("*Not determined", "Abbreviations: ...") after its last row stay
    out of its region, with any rule below them."""
    core = union_all(content[i] for i in members if i not in notes and not _is_rule(content[i]))
    trailing = [content[i].y0 for i in members if i in notes and core is not None and content[i].y0 >= core.y1 - 1]
    if not trailing:
        return members
    cut = min(trailing)
    return [i for i in members if content[i].y0 < cut - 0.5]


def _text_passage(members: list[int], model: PageModel) -> bool:
    """A region without graphics whose text is mostly lines of running text."""
    if not members or any(i < model.graphic_count for i in members):
        return False
    return sum(i in model.running_text for i in members) >= PASSAGE_SHARE * len(members)


def _across_columns(members: list[int], model: PageModel, style: DocumentStyle, caption: Box,
                    rivals: list[Box]) -> bool:
    """Whether a float captioned below, found in the caption's columns, spans the page (a
    ``figure*`` whose caption is set to the left): every other column holds no body text and
    no caption from the float's top to the caption, and its body text starts right under
    the caption's level, as under a float across the top of the page."""
    region = union_all(model.content[i] for i in members)
    if region is None:
        return False
    reach = MAX_GAP * style.body_size
    others = [c for c in style.columns if not (c.left <= caption.center_x <= c.right)]
    for column in others:
        def within(box: Box) -> bool:
            return min(box.x1, column.right) - max(box.x0, column.left) > 1.0

        if any(within(b) and b.y1 > region.y0 and b.y0 < caption.y1 for b in model.blockers + rivals):
            return False
        below = [b for b in model.blockers + model.content + rivals if within(b) and b.y0 >= caption.y1 - 1.0]
        first = min(below, key=lambda b: b.y0, default=None)
        if first is None or first not in model.blockers or first.y0 - caption.y1 > reach:
            return False
    return bool(others)


def page_proposals(model: PageModel, style: DocumentStyle) -> dict[int, dict[str, Proposal]]:
    """For every caption on the page (by ``id``), the region found on each side that has one."""
    body_size = style.body_size
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
                span = style.column_span(caption_boxes[index]) if turns == 0 and side in ("above", "below") else None
                rivals = captions[:index] + captions[index + 1:]
                members = _grow_down(captions[index], others, content, bottom, MAX_GAP * body_size, span, rivals)
                if side == "above" and span is not None and _across_columns(
                        members, model, style, caption_boxes[index], caption_boxes[:index] + caption_boxes[index + 1:]):
                    block = style.text_block
                    members = _grow_down(captions[index], others, content, bottom, MAX_GAP * body_size,
                                         (block[0] - body_size, block[1] + body_size), rivals)
                if turns == 0 and style.columns:
                    members = _drop_layout_rules(members, model.content, style.text_block, RULE_SLACK * body_size)
                if caption.kind == "figure":
                    members = _near_graphics(members, model, caption_boxes[index], LABEL_REACH * body_size)
                else:
                    members = _drop_trailing_notes(members, content, model.notes)
                region = union_all(model.content[i] for i in members)
                if caption.kind == "table" and _text_passage(members, model):
                    continue  # lines of running text in a smaller size (a reference list), no table
                if region is not None and min(region.width, region.height) >= MIN_SIDE * body_size:
                    near = union_all(content[i] for i in members)
                    found[id(caption)][side] = Proposal(
                        caption, side, region, frozenset(members), near.y0 - captions[index].y1)
    return found
