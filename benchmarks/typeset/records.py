"""Read the records that typesetgold.sty writes during the TeX run (``NAME.tgold``).

pdfTeX reports \\pdfsavepos positions as if rotated and scaled boxes were not transformed;
the S/M/R records (\\pdfsave, \\pdfsetmatrix, \\pdfrestore) are replayed here so that every
record carries the transformation from its own (TeX) frame to the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SP_PER_BP = 65536 * 72.27 / 72  # \pdfsavepos reports scaled points; PDF space is in big points


@dataclass(frozen=True)
class Affine:
    """x' = a x + c y + e, y' = b x + d y + f (the PDF matrix convention)."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    def then(self, outer: "Affine") -> "Affine":
        """This transformation followed by ``outer``."""
        o = outer
        return Affine(self.a * o.a + self.b * o.c, self.a * o.b + self.b * o.d,
                      self.c * o.a + self.d * o.c, self.c * o.b + self.d * o.d,
                      self.e * o.a + self.f * o.c + o.e, self.e * o.b + self.f * o.d + o.f)

    def inverse(self) -> "Affine":
        det = self.a * self.d - self.b * self.c
        a, b, c, d = self.d / det, -self.b / det, -self.c / det, self.a / det
        return Affine(a, b, c, d, -(a * self.e + c * self.f), -(b * self.e + d * self.f))

    @property
    def rotated(self) -> bool:
        return abs(self.b) > 1e-6 or abs(self.c) > 1e-6


def about(origin: tuple[float, float], a: float, b: float, c: float, d: float) -> Affine:
    """The linear map (a b c d) applied around ``origin``, as pdfTeX's \\pdfsetmatrix does."""
    ox, oy = origin
    return Affine(a, b, c, d, ox - a * ox - c * oy, oy - b * ox - d * oy)


@dataclass
class Mark:
    kind: str
    page: int  # 1-based
    x: float  # TeX frame, big points, y upwards from the page's lower-left corner
    y: float
    fields: list[str]
    to_page: Affine = field(default_factory=Affine)  # TeX frame -> PDF user space

    def page_point(self, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
        return self.to_page.apply(self.x + dx, self.y + dy)


@dataclass
class Geometry:
    paper_height: float  # bp
    body_bottom: float  # bp from the top of the page: the text block's lower edge


def dimen_bp(text: str) -> float:
    """'345.0pt' -> big points."""
    return float(text.strip().removesuffix("pt")) * 72 / 72.27


def read_records(path: Path) -> tuple[Geometry | None, list[Mark]]:
    geometry = None
    marks: list[Mark] = []
    stack: list[Affine] = []
    current = Affine()
    page = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("|")
        if parts[0] == "G":
            geometry = Geometry(dimen_bp(parts[1]), dimen_bp(parts[2]))
            continue
        if len(parts) < 4 or not parts[1].isdigit():
            continue
        kind, page_no = parts[0], int(parts[1])
        if page_no != page:  # pdfTeX resets the graphics state on every page
            page, stack, current = page_no, [], Affine()
        x, y = int(parts[2]) / SP_PER_BP, int(parts[3]) / SP_PER_BP
        fields = parts[4:]
        if kind == "S":
            stack.append(current)
        elif kind == "R":
            current = stack.pop() if stack else Affine()
        elif kind == "M":
            a, b, c, d = (float(v) for v in fields[0].split())
            current = about((x, y), a, b, c, d).then(current)
        else:
            marks.append(Mark(kind, page_no, x, y, fields, current))
    return geometry, marks


@dataclass
class Caption:
    id: str
    page: int
    start: Mark
    end: Mark
    label_end: Mark | None = None
    column: Mark | None = None

    @property
    def captype(self) -> str:
        return self.end.fields[1]

    @property
    def float_env(self) -> str:
        return self.end.fields[2]

    @property
    def container(self) -> str:
        return self.end.fields[3]

    @property
    def tags(self) -> list[str]:
        return [t for t in self.end.fields[4].split(",") if t]

    @property
    def tex_text(self) -> str:
        return "|".join(self.end.fields[5:])


@dataclass
class Box:
    """A rectangle in the frame of the TeX record that produced it."""

    mark: Mark
    x0: float
    y0: float
    x1: float
    y1: float  # y upwards, like \pdfsavepos
    parent: str | None = None  # minipages: the box they sit in
    what: str = ""  # content boxes: graphic, tabular, tikzpicture
    container: str = ""  # content boxes: the float, minipage or wrapfigure they sit in

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return self.x0, self.y0, self.x1, self.y1


def collect_captions(marks: list[Mark]) -> list[Caption]:
    parts: dict[tuple[str, int], dict[str, Mark]] = {}
    order: list[tuple[str, int]] = []
    for m in marks:
        if m.kind in ("CS", "CL", "CE", "CV"):
            key = (m.fields[0], m.page)
            if key not in parts:
                parts[key], _ = {}, order.append(key)
            parts[key].setdefault(m.kind, m)
    captions = []
    for key in order:
        p = parts[key]
        if "CS" in p and "CE" in p:
            captions.append(Caption(key[0], key[1], p["CS"], p["CE"], p.get("CL"), p.get("CV")))
    return captions


def collect_boxes(marks: list[Mark]) -> tuple[dict[str, Box], list[Box]]:
    """Containers by id (floats, minipages, wrapfigures) and content boxes (graphics, tabulars, TikZ)."""
    containers: dict[str, Box] = {}
    content: list[Box] = []
    for m in marks:
        try:
            if m.kind in ("FE", "WE"):
                width, height = dimen_bp(m.fields[1]), dimen_bp(m.fields[2])
                containers.setdefault(m.fields[0], Box(m, m.x, m.y, m.x + width, m.y + height))
            elif m.kind == "ME":
                wd, ht, dp = (dimen_bp(v) for v in m.fields[1:4])
                containers.setdefault(m.fields[0], Box(m, m.x - wd, m.y - dp, m.x, m.y + ht, parent=m.fields[4]))
            elif m.kind == "B":
                wd, ht, dp = (dimen_bp(v) for v in m.fields[2:5])
                content.append(Box(m, m.x, m.y - dp, m.x + wd, m.y + ht, what=m.fields[1], container=m.fields[0]))
        except ValueError:  # a height that was never measured (box not shipped whole)
            continue
    return containers, content
