"""Seeded scientific-looking prose: sentences, paragraphs, equations, captions, references."""

from __future__ import annotations

import random

NOUNS = """model method dataset estimator spectrum signal network kernel sample observation baseline
parameter distribution variance error gradient solver layer feature residual posterior prior channel
measurement detector catalogue simulation trajectory ensemble cluster grid mesh boundary flux density
temperature pressure velocity field potential operator matrix eigenvalue frequency amplitude phase
population cohort protocol treatment response classifier encoder decoder token sequence alignment
benchmark pipeline resolver latency throughput scheduler circuit qubit photon galaxy pulsar halo""".split()
ADJECTIVES = """robust stable sparse dense linear nonlinear adaptive stochastic deterministic empirical
latent hierarchical spatial temporal local global spectral numerical asymptotic approximate exact
efficient scalable noisy smooth discrete continuous convex large small median relative absolute
systematic statistical physical synthetic observed simulated calibrated normalised""".split()
VERBS = """improves reduces increases estimates predicts captures controls exceeds matches follows
dominates constrains recovers preserves degrades accelerates stabilises approximates reproduces""".split()
ADVERBS = "clearly slightly consistently substantially roughly significantly strongly weakly".split()
CONNECTIVES = ["However,", "In contrast,", "Moreover,", "As expected,", "In practice,", "Notably,",
               "For this reason,", "In addition,", "Overall,", "Consequently,"]
SECTIONS = ["Introduction", "Related Work", "Background", "Method", "Experimental Setup", "Results",
            "Analysis", "Discussion", "Limitations", "Conclusion"]
SYMBOLS = ["x", "y", "z", "t", "k", "n", "\\alpha", "\\beta", "\\sigma", "\\lambda", "\\theta", "\\mu"]


class Prose:
    """All text of one paper comes from one seeded generator."""

    def __init__(self, rng: random.Random, n_refs: int = 12):
        self.rng = rng
        self.n_refs = n_refs

    def phrase(self) -> str:
        r = self.rng
        return f"the {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"

    def math(self) -> str:
        r = self.rng
        a, b = r.sample(SYMBOLS, 2)
        return r.choice([f"${a}_{{{r.randint(0, 9)}}}$", f"${a} = {r.randint(2, 99) / 10:g}$",
                         f"${a} \\propto {b}^{{{r.randint(2, 4)}}}$", f"$N={r.randint(10, 5000)}$"])

    def sentence(self, words: int | None = None) -> str:
        r = self.rng
        parts = [self.phrase(), r.choice(ADVERBS), r.choice(VERBS), self.phrase()]
        while len(" ".join(parts).split()) < (words or r.randint(9, 22)):
            parts += r.choice([["and", self.phrase()], ["for", self.phrase()], ["with", self.math()],
                               ["when", self.phrase(), r.choice(VERBS), self.phrase()],
                               [f"~\\cite{{ref{r.randint(1, self.n_refs)}}}"]])
        text = " ".join(parts).replace(" ~\\cite", "~\\cite")
        if r.random() < 0.25:
            text = f"{r.choice(CONNECTIVES)} {text}"
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: tuple[int, int] = (4, 8)) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def mention(self, ref: str, name: str) -> str:
        """A body sentence that opens with the float's label, as papers do beside their figures."""
        return f"{name}~\\ref{{{ref}}} {self.rng.choice(['shows', 'summarises', 'compares', 'reports'])} " \
               f"{self.phrase()} {self.rng.choice(['for', 'against', 'across'])} {self.phrase()}."

    def equation(self) -> str:
        r = self.rng
        a, b, c = r.sample(SYMBOLS, 3)
        body = r.choice([
            f"{a}({b}) = \\sum_{{i=1}}^{{N}} w_i \\, \\phi_i({b}) + \\epsilon",
            f"\\frac{{\\partial {a}}}{{\\partial t}} = {c} \\nabla^2 {a} - {b} {a}",
            f"\\mathcal{{L}}({c}) = -\\frac{{1}}{{2}} \\log |K| - \\frac{{1}}{{2}} {a}^\\top K^{{-1}} {a}",
            f"{a} = \\int_0^\\infty {b}(s) \\, e^{{-{c} s}} \\, \\mathrm{{d}}s",
        ])
        return f"\\begin{{equation}}\n{body}\n\\end{{equation}}"

    def title(self) -> str:
        r = self.rng
        return f"{r.choice(ADJECTIVES).title()} {r.choice(NOUNS).title()} Estimation for " \
               f"{r.choice(ADJECTIVES).title()} {r.choice(NOUNS).title()}s"

    def caption(self, length: str) -> str:
        """short: a few words; medium: two sentences; long: a bold title and a legend paragraph.
        Citations are protected: a caption is a moving argument."""
        return self._caption(length).replace("\\cite{", "\\protect\\cite{")

    def _caption(self, length: str) -> str:
        r = self.rng
        if length == "short":
            return f"{self.phrase()[4:].capitalize()} {r.choice(['per', 'versus', 'for'])} {self.phrase()}."
        if length == "medium":
            return f"{self.sentence(r.randint(10, 16))} {self.sentence(r.randint(8, 14))}"
        title = f"\\textbf{{{self.phrase()[4:].capitalize()} {r.choice(['per', 'versus', 'for'])} {self.phrase()}.}}"
        return " ".join([title] + [self.sentence() for _ in range(r.randint(4, 7))])

    def references(self, natbib: bool) -> str:
        r = self.rng
        items = []
        for i in range(1, self.n_refs + 1):
            author = f"{r.choice('ABCDEFGHKLMNPRSTW')}. {r.choice(['Smith', 'Chen', 'Garcia', 'Okafor', 'Novak', 'Tanaka', 'Ivanova', 'Mehta'])}"
            year = r.randint(1995, 2024)
            key = f"[{author.split()[-1]}({year})]" if natbib else ""
            items.append(f"\\bibitem{key}{{ref{i}}} {author}, {self.title()}, "
                         f"\\emph{{J. {r.choice(NOUNS).title()} Sci.}} \\textbf{{{r.randint(1, 90)}}}, "
                         f"{r.randint(1, 999)} ({year}).")
        return "\\begin{thebibliography}{99}\n" + "\n".join(items) + "\n\\end{thebibliography}"
