"""Document classes that TeX Live ships, with the front matter each expects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from synthetic.prose import Prose


@dataclass(frozen=True)
class DocClass:
    name: str
    documentclass: str
    two_column: bool
    front: Callable[[Prose, str], str]  # (prose, abstract) -> LaTeX right after \begin{document}
    subfigures: str = "subcaption"  # or "subfig" where the caption package clashes with the class
    caption_styles: bool = True  # the caption package may restyle labels ("Fig. 1.", small caps, ...)
    natbib: bool = False  # \bibitem[Author(year)]{key}
    placements: bool = True  # mnras floats take no [tbp] (it would be printed)
    preamble: str = ""


def plain_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author and B. Writer}}\n\\date{{}}\n\\maketitle\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}"


def ieee_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author and B. Writer}}\n\\maketitle\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}"


def acm_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author}}\n\\affiliation{{\\institution{{Institute of Data}}" \
           f"\\city{{Springfield}}\\country{{USA}}}}\n\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n\\maketitle"


def revtex_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author}}\n\\affiliation{{Institute of Data, Springfield}}\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n\\maketitle"


def elsarticle_front(p: Prose, abstract: str) -> str:
    return f"\\begin{{frontmatter}}\n\\title{{{p.title()}}}\n\\author{{A. Author}}\n" \
           f"\\affiliation{{organization={{Institute of Data}}, city={{Springfield}}, country={{USA}}}}\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n\\end{{frontmatter}}"


def llncs_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author \\and B. Writer}}\n\\institute{{Institute of Data, " \
           f"Springfield}}\n\\maketitle\n\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}"


def amsart_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author}}\n\\address{{Institute of Data, Springfield}}\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n\\maketitle"


def aastex_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author{{A. Author}}\n\\affiliation{{Institute of Data, Springfield}}\n" \
           f"\\begin{{abstract}}\n{abstract}\n\\end{{abstract}}\n\\keywords{{methods: statistical}}"


def mnras_front(p: Prose, abstract: str) -> str:
    return f"\\title{{{p.title()}}}\n\\author[A. Author]{{A. Author$^{{1}}$\\\\$^{{1}}$Institute of Data, " \
           f"Springfield}}\n\\date{{}}\n\\pubyear{{2024}}\n\\maketitle\n\\begin{{abstract}}\n{abstract}\n" \
           f"\\end{{abstract}}\n\\begin{{keywords}}\nmethods: numerical -- methods: statistical\n\\end{{keywords}}"


CLASSES = [
    DocClass("article-1col", "\\documentclass[11pt]{article}\n\\usepackage[margin=1in]{geometry}", False, plain_front),
    DocClass("article-2col", "\\documentclass[10pt,twocolumn]{article}\n\\usepackage[margin=0.75in]{geometry}", True,
             plain_front),
    DocClass("ieee-journal", "\\documentclass[journal]{IEEEtran}", True, ieee_front, "subfig", False),
    DocClass("ieee-conference", "\\documentclass[conference]{IEEEtran}", True, ieee_front, "subfig", False),
    DocClass("acmart-sigconf", "\\documentclass[sigconf]{acmart}", True, acm_front, caption_styles=False,
             preamble="\\settopmatter{printacmref=false}\\setcopyright{none}"
                      "\\renewcommand\\footnotetextcopyrightpermission[1]{}"),
    DocClass("revtex-2col", "\\documentclass[aps,pra,twocolumn,reprint]{revtex4-2}", True, revtex_front,
             caption_styles=False),
    DocClass("elsarticle-1col", "\\documentclass[preprint,12pt]{elsarticle}", False, elsarticle_front),
    DocClass("elsarticle-2col", "\\documentclass[5p]{elsarticle}", True, elsarticle_front),
    DocClass("llncs", "\\documentclass[runningheads]{llncs}", False, llncs_front),
    DocClass("amsart", "\\documentclass{amsart}", False, amsart_front),
    DocClass("aastex631-2col", "\\documentclass[twocolumn]{aastex631}", True, aastex_front, "subfig", False,
             natbib=True),
    DocClass("mnras", "\\documentclass[fleqn,usenatbib]{mnras}", True, mnras_front, "subfig", False, natbib=True,
             placements=False),
]
BY_NAME = {c.name: c for c in CLASSES}
