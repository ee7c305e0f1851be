"""Which caption gets which region: one side per caption, one region per label (and page,
for floats continued over pages), and no ink in two regions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import combinations

from scitune_data.figures.captions import Caption
from scitune_data.figures.frame import Frame
from scitune_data.figures.page_model import DocumentStyle, PageModel
from scitune_data.figures.regions import Proposal, page_proposals
from scitune_data.geometry import Box, union_all

DEFAULT_SIDE = {"figure": "above", "table": "below"}  # where the content sits, seen from the caption
NEARER = 2.0  # caption font sizes by which the other side's region must be closer to win
CONTINUED = re.compile(r"\b(continued|cont'd|contd\.|cont\.)", re.I)  # a float carried over to a later page


@dataclass(frozen=True, slots=True)
class Choice:
    caption: Caption  # the caption whose text is reported
    proposal: Proposal  # the region (its caption may be a bare label on another page)
    part: int = 0  # 1, 2, ... for the pages a float is continued on

    @property
    def figure_id(self) -> str:
        base = self.caption.label.figure_id
        return f"{base}-cont{self.part}" if self.part else base


def proposals(models: list[PageModel], style: DocumentStyle) -> dict[int, dict[str, Proposal]]:
    """Per caption (by id), the region found on each side that has one."""
    found: dict[int, dict[str, Proposal]] = {}
    for model in models:
        found.update(page_proposals(model, style))
    return found


def _preferred_sides(captions: list[Caption], found: dict[int, dict[str, Proposal]]) -> dict[str, str]:
    """Per kind, the side where this document puts content when a caption leaves no doubt."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for caption in captions:
        vertical = [side for side in found[id(caption)] if side in ("above", "below")]
        if len(vertical) == 1:
            votes[caption.kind][vertical[0]] += 1
    return {kind: votes[kind].most_common(1)[0][0] if votes[kind] else DEFAULT_SIDE[kind]
            for kind in DEFAULT_SIDE}


def _options(sides: dict[str, Proposal], preferred: str) -> list[Proposal]:
    """A caption's regions in the order to try them: the document's side for its kind, the
    other side, then beside it, nearest first."""
    other = "below" if preferred == "above" else "above"
    vertical = [sides[side] for side in (preferred, other) if side in sides]
    if len(vertical) == 2:
        size = vertical[0].caption.rows[0].size
        if vertical[0].gap - vertical[1].gap > NEARER * size:
            vertical.reverse()  # a caption sits close to its own float: far on one side, snug on the other
    beside = sorted((sides[side] for side in ("left", "right") if side in sides), key=lambda p: p.gap)
    return vertical + beside


def _pick_side(sides: dict[str, Proposal], preferred: str) -> Proposal | None:
    options = _options(sides, preferred)
    return options[0] if options else None


def _style_key(caption: Caption) -> tuple[str, float]:
    return caption.label.delimiter, round(caption.rows[0].size * 2) / 2


def drop_prose_lookalikes(captions: list[Caption], style: DocumentStyle) -> list[Caption]:
    """Drop "captions" set like body prose in a document whose captions are set otherwise
    ("Table 4. On average ..." opening a paragraph)."""
    if len(captions) < 3:
        return captions
    delimiter, size = Counter(_style_key(c) for c in captions).most_common(1)[0][0]
    if abs(size - style.body_size) <= 0.4:
        return captions
    return [c for c in captions
            if c.label.delimiter == delimiter or abs(c.rows[0].size - style.body_size) > 0.4]


def resolve(captions: list[Caption], found: dict[int, dict[str, Proposal]], models: list[PageModel]) -> list[Choice]:
    """One region per label (and per page for a continued float), then blocks between two
    captions settled (see :func:`_settle_facing`)."""
    preferred = _preferred_sides(captions, found)
    return _settle_facing(_choose(captions, found, preferred), found, preferred, models)


def _choose(captions: list[Caption], found: dict[int, dict[str, Proposal]], preferred: dict[str, str]) -> list[Choice]:
    style_counts = Counter(_style_key(c) for c in captions)
    by_label: dict[tuple[str, str], list[Caption]] = defaultdict(list)
    for caption in captions:
        by_label[(caption.kind, caption.label.name)].append(caption)
    choices = []
    for group in by_label.values():
        placed = [(c, p) for c in group if (p := _pick_side(found[id(c)], preferred[c.kind]))]
        if not placed:
            continue
        full = [(c, p) for c, p in placed if not c.label_only]
        if full:
            caption, proposal = max(full, key=lambda cp: (style_counts[_style_key(cp[0])], -cp[0].page))
            choices.append(Choice(caption, proposal))
            carried = [(c, p) for c, p in full if c.page > caption.page and CONTINUED.search(c.text)]
            choices += [Choice(c, p, part) for part, (c, p) in enumerate(sorted(carried, key=lambda cp: cp[0].page), 1)]
            continue
        texts = [c for c in group if not c.label_only]
        caption, proposal = placed[0]
        choices.append(Choice(max(texts, key=lambda c: len(c.text)) if texts else caption, proposal))
    return choices


def _facing(upper: Proposal, lower: Proposal, model: PageModel) -> bool:
    """The upper caption's region grows down and the lower one's grows up into it."""
    return (upper.caption.turns == lower.caption.turns == 0 and upper.side == "below" and lower.side == "above"
            and _caption_box(upper.caption, model).y1 <= _caption_box(lower.caption, model).y0
            and bool(upper.members & lower.members))


def _one_block(upper: Proposal, lower: Proposal, model: PageModel) -> tuple[bool, float, float]:
    """Whether the ink both regions reach is one block (no blank band inside it wider than
    its distance to either caption), and its distances to the upper and lower caption."""
    boxes = sorted((model.content[i] for i in upper.members | lower.members), key=lambda box: box.y0)
    top, bottom = _caption_box(upper.caption, model), _caption_box(lower.caption, model)
    lead, tail = boxes[0].y0 - top.y1, bottom.y0 - max(box.y1 for box in boxes)
    reach, inner = boxes[0].y1, 0.0
    for box in boxes[1:]:
        inner, reach = max(inner, box.y0 - reach), max(reach, box.y1)
    return inner <= max(lead, tail), lead, tail


def _settle_facing(choices: list[Choice], found: dict[int, dict[str, Proposal]], preferred: dict[str, str],
                   models: list[PageModel]) -> list[Choice]:
    """One float between two captions that both reach it (the upper one's region grows down
    into it, the lower one's up) belongs to the nearer caption (a caption sits closer to its
    own float than to the next one); the other caption takes its next side that no other
    region holds. Two floats there (a blank band between them) are split later."""
    model_of = {model.layout.number: model for model in models}
    result = list(choices)
    for a, b in combinations(range(len(result)), 2):
        first, second = result[a].proposal, result[b].proposal
        if first.caption.page != second.caption.page:
            continue
        model = model_of[first.caption.page]
        (upper, i_upper), (lower, i_lower) = sorted(((first, a), (second, b)), key=lambda pi: _caption_box(pi[0].caption, model).y0)
        if not _facing(upper, lower, model):
            continue
        single, lead, tail = _one_block(upper, lower, model)
        if not single:
            continue
        loser = i_upper if lead > tail else i_lower
        held = [result[i].proposal.members for i in range(len(result))
                if i != loser and result[i].proposal.caption.page == upper.caption.page]
        current = result[loser].proposal
        options = [p for p in _options(found[id(current.caption)], preferred[current.caption.kind])
                   if p.side != current.side and not any(p.members & members for members in held)]
        if options:
            result[loser] = replace(result[loser], proposal=options[0])
    return result


def _caption_box(caption: Caption, model: PageModel) -> Box:
    return Frame(caption.turns, model.layout.width, model.layout.height).to_page(caption.box)


def _distance(a: Box, b: Box) -> float:
    return max(0.0, a.x0 - b.x1, b.x0 - a.x1) + max(0.0, a.y0 - b.y1, b.y0 - a.y1)


def _widest_gap(boxes: list[Box]) -> float:
    """The middle of the widest blank horizontal band between ``boxes`` (top to bottom)."""
    ordered = sorted(boxes, key=lambda box: box.y0)
    reach, best, cut = ordered[0].y1, -1.0, ordered[0].y1
    for box in ordered[1:]:
        if box.y0 - reach > best:
            best, cut = box.y0 - reach, (reach + box.y0) / 2
        reach = max(reach, box.y1)
    return cut


def _split(upper: Proposal, lower: Proposal, model: PageModel) -> tuple[set[int], set[int]]:
    """Members of two regions that overlap, dealt out: across the widest blank band when the
    upper caption's region grows down and the lower one's grows up to meet it (a table over a
    figure in one column), else each shared element to the nearer caption."""
    shared = upper.members & lower.members
    top, bottom = _caption_box(upper.caption, model), _caption_box(lower.caption, model)
    facing = (upper.caption.turns == lower.caption.turns == 0 and upper.side == "below"
              and lower.side == "above" and top.y1 <= bottom.y0)
    if facing:
        cut = _widest_gap([model.content[i] for i in upper.members | lower.members])
        to_upper = {i for i in shared if model.content[i].center_y < cut}
    else:
        to_upper = {i for i in shared if _distance(model.content[i], top) <= _distance(model.content[i], bottom)}
    return set(upper.members - shared) | to_upper, set(lower.members - shared) | (shared - to_upper)


def _with_members(proposal: Proposal, members: set[int], model: PageModel) -> Proposal | None:
    region = union_all(model.content[i] for i in members)
    return None if region is None else replace(proposal, box=region, members=frozenset(members))


def separate_shared(choices: list[Choice], models: list[PageModel]) -> list[Choice]:
    """No ink in two regions: where the regions of two captions on a page overlap, their
    shared elements are dealt out (see :func:`_split`); a region left empty is dropped."""
    model_of = {model.layout.number: model for model in models}
    result: list[Choice | None] = list(choices)
    for a, b in combinations(range(len(result)), 2):
        first, second = result[a], result[b]
        if first is None or second is None or first.proposal.caption.page != second.proposal.caption.page:
            continue
        if not first.proposal.members & second.proposal.members:
            continue
        model = model_of[first.proposal.caption.page]
        upper, lower = sorted((a, b), key=lambda i: _caption_box(result[i].proposal.caption, model).y0)
        keep_upper, keep_lower = _split(result[upper].proposal, result[lower].proposal, model)
        for index, members in ((upper, keep_upper), (lower, keep_lower)):
            proposal = _with_members(result[index].proposal, members, model)
            result[index] = None if proposal is None else replace(result[index], proposal=proposal)
    return [choice for choice in result if choice is not None]
