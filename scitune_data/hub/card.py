"""The dataset card, one generator for every kind of output: YAML metadata the Hub understands
(licence fields it accepts, task categories, size category, configs with data files per split,
features and split sizes computed by ``datasets``) and a body whose sections follow what the
records are: figures extracted from PDFs, figures imported from a corpus, ScienceQA problems,
each with how it was built, its prompt formats and its statistics, plus an attribution table of
the source papers whenever figures come from papers. Nothing in it names a local path."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from scitune_data import __version__
from scitune_data.arxiv.ids import arxiv_id_of
from scitune_data.arxiv.licenses import UNKNOWN, paper_license
from scitune_data.hub.card_facts import IMPORTED_SOURCES, CardFacts, Paper
from scitune_data.hub.licenses import CardLicense
from scitune_data.output_layout import DATA_DIR, ERRORS_FILE, MANIFEST_FILE
from scitune_data.schema.registry import arrow_schema

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"))
ATTRIBUTION_FILE = "ATTRIBUTION.md"
INLINE_PAPERS = 200  # more source papers than this: the table goes to ATTRIBUTION.md only
PROMPT_FORMATS = {  # LLaVA's ScienceQA formats: input -> output
    "CQM-A": ("context, question, options", '"The answer is X."'),
    "QCM-A": ("question, context, options", '"The answer is X."'),
    "QCM-LEA": ("question, context, options", 'lecture, solution, then "The answer is X."'),
    "QCM-LEPA": ("question, context, options", '"LECTURE: ...", "SOLUTION: ...", "###", "ANSWER: X."'),
}


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    license: str | None  # as the corpus's publishers state it
    citation: str


SCITUNE = """@article{horawalavithana2023scitune,
  title={SCITUNE: Aligning Large Language Models with Scientific Multimodal Instructions},
  author={Horawalavithana, Sameera and Munikoti, Sai and Stewart, Ian and Kvinge, Henry},
  journal={arXiv preprint arXiv:2307.01139},
  year={2023}
}"""
CORPORA = {
    "scicap": Corpus("SciCap", "cc-by-nc-sa-4.0", """@inproceedings{hsu2021scicap,
  title={SciCap: Generating Captions for Scientific Figures},
  author={Hsu, Ting-Yao and Giles, C. Lee and Huang, Ting-Hao},
  booktitle={Findings of EMNLP},
  year={2021}
}"""),
    "vistext": Corpus("VisText", None, """@inproceedings{tang2023vistext,
  title={VisText: A Benchmark for Semantically Rich Chart Captioning},
  author={Tang, Benny J. and Boggust, Angie and Satyanarayan, Arvind},
  booktitle={ACL},
  year={2023}
}"""),
    "arxivcap": Corpus("ArxivCap", "cc-by-4.0", """@inproceedings{li2024multimodal,
  title={Multimodal ArXiv: A Dataset for Improving Scientific Comprehension of Large Vision-Language Models},
  author={Li, Lei and Wang, Yuqi and Xu, Runxin and Wang, Peiyi and Feng, Xiachong and Kong, Lingpeng and Liu, Qi},
  booktitle={ACL},
  year={2024}
}"""),
    "folder": Corpus("a folder of figure images with captions", None, ""),
    "scienceqa": Corpus("ScienceQA", "cc-by-nc-sa-4.0", """@inproceedings{lu2022scienceqa,
  title={Learn to Explain: Multimodal Reasoning via Thought Chains for Science Question Answering},
  author={Lu, Pan and Mishra, Swaroop and Xia, Tony and Qiu, Liang and Chang, Kai-Wei and Zhu, Song-Chun and Tafjord, Oyvind and Clark, Peter and Kalyan, Ashwin},
  booktitle={NeurIPS},
  year={2022}
}"""),
}


def metadata(facts: CardFacts, pretty_name: str, license: CardLicense) -> str:  # noqa: A002
    """The card's YAML, sizes and features computed by ``datasets``, fields checked by
    ``huggingface_hub``'s card data."""
    from datasets import DatasetInfo, Features, SplitDict, SplitInfo  # noqa: PLC0415
    from datasets.info import DatasetInfosDict  # noqa: PLC0415
    from huggingface_hub import DatasetCardData  # noqa: PLC0415

    total = sum(size.rows for size in facts.splits.values())
    tasks = (["image-to-text"] if facts.has_figures else []) + (
        ["visual-question-answering"] if "scienceqa" in facts.sources else [])
    card = DatasetCardData(
        **license.metadata(), pretty_name=pretty_name, language=["en"], task_categories=tasks,
        size_categories=[next((label for limit, label in SIZE_CATEGORIES if total < limit), "n>10M")],
        tags=["science", "multimodal", "instruction-tuning", "scitune",
              *(["scientific-figures"] if facts.has_figures else []), *sorted(facts.sources - {"pdf"})],
        configs=[{"config_name": "default", "data_files": [{"split": split, "path": f"{DATA_DIR}/{split}-*"}
                                                           for split in facts.splits]}])
    splits = SplitDict()
    for split, size in facts.splits.items():
        splits.add(SplitInfo(name=split, num_bytes=size.num_bytes, num_examples=size.rows))
    info = DatasetInfo(features=Features.from_arrow_schema(arrow_schema("records")), splits=splits,
                       download_size=sum(s.download_bytes for s in facts.splits.values()),
                       dataset_size=sum(s.num_bytes for s in facts.splits.values()))
    DatasetInfosDict({"default": info}).to_dataset_card_data(card)
    return card.to_yaml()


def _recipe_lines(recipe: dict, by_paper: str) -> list[str]:
    filters, dedup = recipe.get("filters", {}), recipe.get("dedup", {})
    fractions = ", ".join(f"{k} {v:g}" for k, v in recipe.get("splits", {}).items())
    dedup_rule = ", ".join(filter(None, [
        "identical crops" if dedup.get("exact_images") else "",
        f"near-identical crops (perceptual hash within {dedup['near_images']} bits)" if dedup.get("near_images", -1) >= 0
        else "", "identical captions" if dedup.get("captions") else ""])) or "none"
    return [
        f"- Records: recipe `{recipe.get('name')}` (tasks {', '.join(f'`{t}`' for t in recipe.get('tasks', []))}; "
        f"caption variant `{recipe.get('caption_variant')}`; templates `{recipe.get('templates')}`; seed "
        f"{recipe.get('seed')}).",
        f"- Splits: {by_paper} ({fractions}); no paper is in two splits.",
        f"- Quality filters: crops smaller than {filters.get('min_side')} px or more than {filters.get('max_aspect')}:1 "
        f"are dropped; {'figures without a caption are dropped' if filters.get('require_caption', True) else 'captions not required'}.",
        f"- Dedup across papers: {dedup_rule}; what was dropped and why is in `{MANIFEST_FILE}`.",
    ]


def _building(facts: CardFacts) -> str:
    recipe = facts.manifest.get("recipe", {})
    options = f"--recipe {recipe.get('name', 'scitune-ctom')} --templates {recipe.get('templates', 'sample')}"
    sections = []
    if "pdf" in facts.sources:
        sections.append("\n".join([
            "### Figures and tables extracted from PDFs", "",
            "`scitune-data build` found every captioned figure and table in the papers' PDFs (captions first, "
            "then the region grown from the caption over figure ink, rendered as a PNG crop) with its SciTune "
            "signals: figure type, caption variants, in-figure text and the paragraphs that mention it.", "",
            *_recipe_lines(recipe, "by paper, from a seeded hash of the paper id"),
            f"- To rebuild: `scitune-data build --pdf-dir PDFS --out OUT {options}`"]))
    for source in (s for s in IMPORTED_SOURCES if s in facts.sources):
        sections.append("\n".join([
            f"### Figures imported from {CORPORA[source].name}", "",
            f"`scitune-data import {source}` read the corpus's own files (captions, in-figure text and mentions where "
            "it has them) into the same figures table as a PDF build.", "",
            *_recipe_lines(recipe, "the corpus's own split where it gives one, else by paper from a seeded hash"),
            f"- To rebuild: `scitune-data import {source} --source {source.upper()} --out OUT {options}`"]))
    if "scienceqa" in facts.sources:
        formats = sorted({t for (s, _, _, t) in facts.records if s == "scienceqa"})
        sections.append("\n".join([
            "### ScienceQA problems", "",
            "`scitune-data scienceqa` converted ScienceQA's multiple-choice science problems into SciTune's stage-2 "
            f"(instruction) records in LLaVA's prompt format {', '.join(f'`{f}`' for f in formats)}. The splits are "
            "ScienceQA's own; a problem with an image carries it, a text-only problem has none.", "",
            f"- To rebuild: `scitune-data scienceqa --source SCIENCEQA --out OUT --format {formats[0] if formats else 'QCM-LEPA'}`"]))
    return "\n\n".join(sections)


def _prompt_formats(facts: CardFacts) -> str:
    parts = []
    aligned = facts.templates("align")
    if aligned:
        mode = facts.manifest.get("recipe", {}).get("templates", "sample")
        how = ("one template sampled per record (seeded by paper and figure)" if mode == "sample"
               else "every template, one record each (for sensitivity evaluation)")
        parts.append(f"Figure records ask with human-written instruction templates, {how}:\n\n| task | templates |\n"
                     "|---|---|\n" + "\n".join(f"| `{task}` | {len(ids)}: {', '.join(f'`{i}`' for i in ids)} |"
                                               for task, ids in aligned.items()))
    formats = facts.templates("instruct").get("scienceqa", [])
    if formats:
        parts.append("ScienceQA records use LLaVA's prompt formats (`convert_sqa_to_llava`):\n\n| format | prompt | "
                     "answer |\n|---|---|---|\n" + "\n".join(
                         f"| `{f}` | {PROMPT_FORMATS.get(f, ('?', '?'))[0]} | {PROMPT_FORMATS.get(f, ('?', '?'))[1]} |"
                         for f in formats))
    return "\n\n".join(parts)


def _statistics(facts: CardFacts, plots: list[str]) -> str:
    counts = facts.manifest.get("counts", {})
    rows = []
    if facts.papers:
        rows.append(("source papers", len(facts.papers)))
    if facts.has_figures:
        rows += [("figures and tables in", counts.get("figures_in", "?")),
                 ("kept after filters and dedup", counts.get("figures_kept", "?"))]
    if "scienceqa" in facts.sources:
        rows.append(("ScienceQA problems", counts.get("problems", "?")))
    rows.append(("records", sum(size.rows for size in facts.splits.values())))
    rows.append((f"errors (rows in {ERRORS_FILE})", ", ".join(f"{k} {v}" for k, v in sorted(facts.errors.items()))
                 or "none"))
    parts = ["| | value |\n|---|---|\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)]
    tasks = sorted({task for per_task in facts.by_split_task.values() for task in per_task})
    if tasks:
        parts.append("Records per split and task:\n\n| split | " + " | ".join(tasks) + " |\n|---|" + "---|" * len(tasks)
                     + "\n" + "\n".join(f"| {split} | " + " | ".join(str(per_task.get(t, 0)) for t in tasks) + " |"
                                        for split, per_task in facts.by_split_task.items()))
    if facts.has_figures:
        dropped = ", ".join(f"{k} {v}" for k, v in counts.get("dropped", {}).items()) or "none"
        parts.append(f"Dropped figures, by reason: {dropped}.")
    if "figure_types.png" in plots:
        parts.append("Figure types: " + ", ".join(f"{t} {n}" for t, n in facts.figure_types.most_common())
                     + ".\n\n![figure types](assets/figure_types.png)")
    words = facts.caption_words
    if "caption_lengths.png" in plots:
        parts.append(f"Caption length in words: mean {statistics.fmean(words):.1f}, median {statistics.median(words):.0f}, "
                     f"90th percentile {sorted(words)[int(0.9 * (len(words) - 1))]}.\n\n"
                     "![caption lengths](assets/caption_lengths.png)")
    return "\n\n".join(parts)


def _paper_link(paper: Paper) -> str:
    """An arXiv paper links to its abstract page, at the version its figures come from."""
    name = arxiv_id_of(paper.id)
    if name is None:
        return f"`{paper.id}`"
    version = name.version or paper.version or ""
    return f"[{paper.id}](https://arxiv.org/abs/{name.id}{version})"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _licence_cell(statement: str | None) -> str:
    """The paper's licence, linked to its text when the statement is a URL."""
    text = _cell(paper_license(statement).id)
    return f"[{text}]({statement.strip()})" if statement and statement.strip().startswith("http") else text


def attribution_table(papers: list[Paper]) -> str:
    return "| paper | title | licence | via |\n|---|---|---|---|\n" + "\n".join(
        f"| {_paper_link(p)} | {_cell(p.title) or 'unknown'} | {_licence_cell(p.license)} | {p.source} |"
        for p in papers)


def attribution_file(facts: CardFacts) -> str:
    return (f"# Source papers\n\nThe figures, captions and text in this dataset come from these {len(facts.papers)} "
            "papers; each remains its authors' work under its own licence.\n\n" + attribution_table(facts.papers) + "\n")


def license_file(facts: CardFacts, license: CardLicense) -> str:  # noqa: A002
    corpora = [f"- {CORPORA[s].name}: {CORPORA[s].license or 'see the corpus'}" for s in sorted(facts.sources)
               if s in CORPORA and s != "folder"]
    return "\n".join([
        f"# Licence ({license.name})", "",
        "This dataset has no single licence of its own: each record is derived from a source that keeps its "
        "licence. Figures, captions and text taken from papers remain their authors' work under each paper's "
        f"licence{f', listed in {ATTRIBUTION_FILE}' if facts.papers else ''}; records from existing corpora follow "
        "the corpus's terms:", "", *(corpora or ["- (no corpus)"]), "",
        "Check these terms before any use beyond research, and before redistributing.", ""])


def _licence(facts: CardFacts, license: CardLicense) -> str:  # noqa: A002
    parts = [f"Card licence: `{license.id}`" + (f" (`{license.name}`, see [{license.link}]({license.link}))"
                                                if license.id == "other" else "") + "."]
    for source in sorted(facts.sources & {"scicap", "arxivcap", "vistext", "scienceqa"}):
        corpus = CORPORA[source]
        parts.append(f"{corpus.name} is distributed under {f'`{corpus.license}`' if corpus.license else 'its own terms'}; "
                     "its terms apply to the records made from it.")
    if facts.papers:
        known = sum(paper_license(p.license).id != UNKNOWN for p in facts.papers)
        parts.append(f"Figures, captions and text come from {len(facts.papers)} source papers and remain their "
                     f"authors' work under each paper's licence ({known} of them known here; check the others "
                     "before any use beyond research).")
        selected = (facts.manifest.get("published_selection") or {}).get("licenses")
        if selected:
            parts.append(f"Only figures of papers under {', '.join(f'`{name}`' for name in selected)} are published "
                         "here; the build's figures of other papers were left out.")
        if len(facts.papers) <= INLINE_PAPERS:
            parts.append(attribution_table(facts.papers))
        else:
            parts.append(f"The full table of source papers is in [{ATTRIBUTION_FILE}]({ATTRIBUTION_FILE}).")
    return "\n\n".join(parts)


def _plots(facts: CardFacts, assets: Path) -> list[str]:
    if not facts.figure_types and not facts.caption_words:
        return []
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    assets.mkdir(parents=True, exist_ok=True)
    made = []
    for name, draw in (("figure_types.png", _types_plot), ("caption_lengths.png", _lengths_plot)):
        figure, axis = plt.subplots(figsize=(7, 3.2))
        draw(axis, facts)
        figure.tight_layout()
        figure.savefig(assets / name, dpi=110, metadata={"Software": None})
        plt.close(figure)
        made.append(name)
    return made


def _types_plot(axis, facts: CardFacts) -> None:
    labels, counts = zip(*facts.figure_types.most_common())
    axis.barh(labels[::-1], counts[::-1], color="#4C72B0")
    axis.set_xlabel("figures")
    axis.set_title("Figure types")


def _lengths_plot(axis, facts: CardFacts) -> None:
    axis.hist(facts.caption_words, bins=30, color="#55A868")
    axis.set_xlabel("caption length (words)")
    axis.set_ylabel("figures")
    axis.set_title("Caption lengths")


def render(facts: CardFacts, repo_id: str, assets: Path, license: CardLicense) -> str:  # noqa: A002
    recipe = facts.manifest.get("recipe", {})
    pretty_name = f"SciTune {recipe.get('name', 'instructions')} ({repo_id.split('/')[-1]})"
    plots = _plots(facts, assets)
    origins = []
    if "pdf" in facts.sources:
        origins.append(f"figures and tables extracted from {sum(p.source == 'pdf' for p in facts.papers)} papers' PDFs")
    origins += [f"figures imported from {CORPORA[s].name}" for s in IMPORTED_SOURCES if s in facts.sources]
    if "scienceqa" in facts.sources:
        origins.append("ScienceQA problems")
    splits = ", ".join(f"{split} {size.rows}" for split, size in facts.splits.items())
    citations = [SCITUNE] + [CORPORA[s].citation for s in ("scicap", "vistext", "arxivcap", "scienceqa")
                             if s in facts.sources or (s == "scicap" and "pdf" in facts.sources)]
    values = {
        "pretty_name": pretty_name, "repo_id": repo_id, "first_split": next(iter(facts.splits), "train"),
        "summary": (f"Multimodal instruction-tuning data built with [scitune-data](https://github.com/scitune-data/"
                    f"scitune-data) {__version__}, following the SciTune recipe: {'; '.join(origins)}. Records: {splits}."),
        "building": _building(facts),
        "versions": ", ".join(f"{k} {v}" for k, v in facts.manifest.get("versions", {}).items()),
        "prompt_formats": _prompt_formats(facts), "statistics": _statistics(facts, plots),
        "licence": _licence(facts, license), "citations": "\n".join(citations),
    }
    template = resources.files("scitune_data.data_cards").joinpath("scitune-dataset.md").read_text()
    return f"---\n{metadata(facts, pretty_name, license).rstrip()}\n---\n\n" + Template(template).substitute(values)
