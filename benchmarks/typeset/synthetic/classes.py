"""Document classes that TeX Live ships, with the front matter each expects."""

from __future__ import annotations

from dataclasses import dataclass

ABSTRACT = r"\begin{abstract}" "\n@ABSTRACT@\n" r"\end{abstract}"


@dataclass(frozen=True)
class DocClass:
    name: str
    documentclass: str
    two_column: bool
    front: str  # LaTeX right after \begin{document}, with @TITLE@ and @ABSTRACT@ to fill in
    subfigures: str = "subcaption"  # or "subfig" where the caption package clashes with the class
    caption_styles: bool = True  # the caption package may restyle labels ("Fig. 1.", small caps, ...)
    natbib: bool = False  # \bibitem[Author(year)]{key}
    placements: bool = True  # mnras floats take no [tbp] (it would be printed)
    sideways: bool = True  # rotating's floats: mnras has no caption outside its own floats, and
    # acmart's even pages turn them off the page
    preamble: str = ""

    def front_matter(self, title: str, abstract: str) -> str:
        return self.front.replace("@TITLE@", title).replace("@ABSTRACT@", abstract)


AUTHORS = r"\author{A. Author and B. Writer}"
PLAIN = "\n".join([r"\title{@TITLE@}", AUTHORS, r"\date{}\maketitle", ABSTRACT])
IEEE = "\n".join([r"\title{@TITLE@}", AUTHORS, r"\maketitle", ABSTRACT])
ACM = "\n".join([r"\title{@TITLE@}", r"\author{A. Author}",
                 r"\affiliation{\institution{Institute of Data}\city{Springfield}\country{USA}}", ABSTRACT,
                 r"\maketitle"])
REVTEX = "\n".join([r"\title{@TITLE@}", r"\author{A. Author}", r"\affiliation{Institute of Data, Springfield}",
                    ABSTRACT, r"\maketitle"])
ELSARTICLE = "\n".join([r"\begin{frontmatter}", r"\title{@TITLE@}", r"\author{A. Author}",
                        r"\affiliation{organization={Institute of Data}, city={Springfield}, country={USA}}",
                        ABSTRACT, r"\end{frontmatter}"])
LLNCS = "\n".join([r"\title{@TITLE@}", r"\author{A. Author \and B. Writer}",
                   r"\institute{Institute of Data, Springfield}", r"\maketitle", ABSTRACT])
AMSART = "\n".join([r"\title{@TITLE@}", r"\author{A. Author}", r"\address{Institute of Data, Springfield}",
                    ABSTRACT, r"\maketitle"])
AASTEX = "\n".join([r"\title{@TITLE@}", r"\author{A. Author}", r"\affiliation{Institute of Data, Springfield}",
                    ABSTRACT, r"\keywords{methods: statistical}"])
MNRAS = "\n".join([r"\title{@TITLE@}", r"\author[A. Author]{A. Author$^{1}$\\$^{1}$Institute of Data, Springfield}",
                   r"\date{}\pubyear{2024}\maketitle", ABSTRACT,
                   r"\begin{keywords}methods: numerical -- methods: statistical\end{keywords}"])

CLASSES = [
    DocClass("article-1col", "\\documentclass[11pt]{article}\n\\usepackage[margin=1in]{geometry}", False, PLAIN),
    DocClass("article-2col", "\\documentclass[10pt,twocolumn]{article}\n\\usepackage[margin=0.75in]{geometry}", True,
             PLAIN),
    DocClass("ieee-journal", "\\documentclass[journal]{IEEEtran}", True, IEEE, "subfig", False),
    DocClass("ieee-conference", "\\documentclass[conference]{IEEEtran}", True, IEEE, "subfig", False),
    DocClass("acmart-sigconf", "\\documentclass[sigconf]{acmart}", True, ACM, caption_styles=False, sideways=False,
             preamble="\\settopmatter{printacmref=false}\\setcopyright{none}"
                      "\\renewcommand\\footnotetextcopyrightpermission[1]{}"),
    DocClass("revtex-2col", "\\documentclass[aps,pra,twocolumn,reprint]{revtex4-2}", True, REVTEX,
             caption_styles=False),
    DocClass("elsarticle-1col", "\\documentclass[preprint,12pt]{elsarticle}", False, ELSARTICLE),
    DocClass("elsarticle-2col", "\\documentclass[5p]{elsarticle}", True, ELSARTICLE),
    DocClass("llncs", "\\documentclass[runningheads]{llncs}", False, LLNCS),
    DocClass("amsart", "\\documentclass{amsart}", False, AMSART),
    DocClass("aastex631-2col", "\\documentclass[twocolumn]{aastex631}", True, AASTEX, "subfig", False,
             natbib=True),
    DocClass("mnras", "\\documentclass[fleqn,usenatbib]{mnras}", True, MNRAS, "subfig", False, natbib=True,
             placements=False, sideways=False),
]
BY_NAME = {c.name: c for c in CLASSES}
