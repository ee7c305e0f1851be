"""arXiv's metadata as users have it: the OAI snapshot (JSON lines, over 4 GB, read as a stream)
joined to the figures by the ids in the PDFs' names, carried to the records; papers selected by
licence, category and date; publish refusing figures it may not redistribute, and the card
attributing every source paper with its licence and a link."""

from __future__ import annotations

import gzip
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.arxiv.ids import arxiv_id_of, paper_name
from scitune_data.arxiv.licenses import paper_license
from scitune_data.arxiv.metadata import read_snapshot
from scitune_data.arxiv.selection import SelectionError, parse_dates, parse_licenses
from scitune_data.cli.main import app
from tests.arxiv_factory import ARXIV, CC_BY, CC_BY_SA, snapshot_entry, write_snapshot, write_tar
from tests.conftest import EXAMPLES, said
from tests.pdf_factory import layout_variety_paper, paper_with_text_raster, two_column_paper


@pytest.mark.parametrize("name,expected", [
    ("2307.01139v2.pdf", ("2307.01139", "v2")), ("2307/2307.01139.pdf", ("2307.01139", None)),
    ("0704.0001v1.pdf", ("0704.0001", "v1")), ("1412.6980v9.pdf", ("1412.6980", "v9")),
    ("hep-th9901001v1.pdf", ("hep-th/9901001", "v1")), ("9901/hep-th9901001.pdf", ("hep-th/9901001", None)),
    ("math-ph0101001v2.pdf", ("math-ph/0101001", "v2")), ("math.AG0101001v3.pdf", ("math/0101001", "v3")),
    ("cond-mat_0001001.pdf", ("cond-mat/0001001", None)), ("arXiv_2307.01139v12.pdf", ("2307.01139", "v12")),
    ("acl2020_s2orc.pdf", ("acl2020_s2orc", None)), ("report0012345.pdf", ("report0012345", None)),
    ("2307.011391.pdf", ("2307.011391", None)),
])
def test_ids_and_versions_from_file_names_both_styles(name, expected):
    found = paper_name(name)
    assert (found.id, found.version) == expected
    assert found.is_arxiv == (expected[0] != name[:-4])


def test_ids_as_a_whole_link_and_others_do_not():
    assert arxiv_id_of("hep-th/9901001v2").id == "hep-th/9901001" and arxiv_id_of("2307.01139").version is None
    assert arxiv_id_of("acl2020_s2orc") is None and arxiv_id_of("x2307.01139") is None


@pytest.mark.parametrize("statement,id_,family,free", [
    ("http://creativecommons.org/licenses/by/4.0/", "cc-by-4.0", "cc-by", True),
    ("https://creativecommons.org/licenses/by-sa/4.0", "cc-by-sa-4.0", "cc-by-sa", True),
    ("http://creativecommons.org/licenses/by-nc-sa/3.0/", "cc-by-nc-sa-3.0", "cc-by-nc-sa", False),
    ("http://creativecommons.org/licenses/by-nc-nd/4.0/", "cc-by-nc-nd-4.0", "cc-by-nc-nd", False),
    ("http://creativecommons.org/publicdomain/zero/1.0/", "cc0-1.0", "cc0", True),
    ("http://creativecommons.org/licenses/publicdomain/", "public-domain", "public-domain", True),
    ("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "arxiv", "arxiv", False),
    ("http://arxiv.org/licenses/assumed-1991-2003/", "arxiv-assumed", "arxiv-assumed", False),
    (None, "unknown", "unknown", False), ("see the paper", "see the paper", "other", False),
])
def test_licence_statements_as_the_snapshot_gives_them(statement, id_, family, free):
    licence = paper_license(statement)
    assert (licence.id, licence.family, licence.redistributable) == (id_, family, free)


def test_selection_options_are_checked_and_read():
    assert parse_licenses("cc-by, cc0,CC-BY-SA-4.0") == ("cc-by", "cc-by-sa-4.0", "cc0")
    assert parse_dates("2020..2022-02") == ("2020-01-01", "2022-02-28")
    assert parse_dates("2024-02") == ("2024-02-01", "2024-02-29") and parse_dates("..1999")[1] == "1999-12-31"
    for bad in ("cc-by-5", "mit"):
        with pytest.raises(SelectionError, match="unknown licence"):
            parse_licenses(bad)
    for bad in ("2023-13", "last year", "2022..2020"):
        with pytest.raises(SelectionError):
            parse_dates(bad)


def test_the_snapshot_is_streamed_for_the_wanted_ids_only(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    entries = [snapshot_entry(f"2101.{i:05d}", f"Paper {i}", "cs.LG", CC_BY, ["Mon, 4 Jan 2021 10:00:00 GMT"],
                              "2021-01-05") for i in range(2000)]
    entries.append(snapshot_entry("hep-th/9901001", "Strings", "hep-th", None, ["Tue, 5 Jan 1999 00:00:00 GMT",
                                                                              "Wed, 6 Jan 1999 00:00:00 GMT"],
                                  "2008-02-03"))
    text = write_snapshot(tmp_path / "s.json", entries, ("{not json\n", '["a list"]\n')).read_bytes()
    memory = fsspec.filesystem("memory")
    memory.pipe("/meta/arxiv-metadata-oai-snapshot.json.gz", gzip.compress(text))
    try:
        for location in (str(tmp_path / "s.json"), "memory://meta/arxiv-metadata-oai-snapshot.json.gz"):
            lookup = read_snapshot(location, {"2101.00007", "hep-th/9901001", "9999.99999"})
            assert sorted(lookup.papers) == ["2101.00007", "hep-th/9901001"]
            assert (lookup.lines, lookup.bad_lines, lookup.first_bad_line) == (2003, 2, 2002)
            old = lookup.papers["hep-th/9901001"]
            assert (old.title, old.categories, old.license, old.latest_version, old.published, old.update_date) == (
                "Strings", ("hep-th",), None, "v2", "1999-01-05", "2008-02-03")
    finally:
        memory.rm("/meta", recursive=True)


@pytest.fixture(scope="module")
def arxiv_inputs(tmp_path_factory):
    """A bulk archive of four papers and a snapshot knowing three of them: CC BY (cs), arXiv's
    licence (physics), no licence statement (1999, hep-th); the fourth is missing."""
    root = tmp_path_factory.mktemp("arxiv")
    archive = write_tar(root / "arXiv_pdf_2307_001.tar", {
        "2307/2307.01139v2.pdf": (EXAMPLES / "naacl2018_elmo.pdf").read_bytes(),
        "2307/2307.04321v1.pdf": two_column_paper(root / "a.pdf").read_bytes(),
        "2307/2307.05555v1.pdf": paper_with_text_raster(root / "c.pdf", ["flux", "density"]).read_bytes(),
        "9901/hep-th9901001v3.pdf": layout_variety_paper(root / "b.pdf").read_bytes(),
    })
    snapshot = write_snapshot(root / "arxiv-metadata-oai-snapshot.json", [
        snapshot_entry("0704.0001", "Unrelated", "hep-ph", ARXIV, ["Mon, 2 Apr 2007 19:18:42 GMT"], "2008-11-13"),
        snapshot_entry("2307.01139", "Deep contextualized word representations", "cs.CL cs.LG", CC_BY,
                       ["Mon, 3 Jul 2023 17:59:59 GMT", "Tue, 4 Jul 2023 10:00:00 GMT"], "2023-07-05"),
        snapshot_entry("2307.04321", "Optics of | pipes", "physics.optics cs.CV", ARXIV,
                       ["Sun, 9 Jul 2023 08:00:00 GMT"], "2023-07-10"),
        snapshot_entry("hep-th/9901001", "Strings at one loop", "hep-th", None, ["Tue, 5 Jan 1999 00:00:00 GMT",
                       "Wed, 6 Jan 1999 00:00:00 GMT", "Thu, 7 Jan 1999 00:00:00 GMT"], "2008-02-03"),
        snapshot_entry("2307.09999", "Elsewhere", "math.CO", CC_BY_SA, ["Fri, 28 Jul 2023 08:00:00 GMT"], "2023-07-28"),
    ])
    return archive, snapshot


def cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def build(archive, snapshot, out, *extra):
    result = cli("build", "--pdf-dir", archive, "--out", out, "--metadata", snapshot, "--ocr", "pdf-text", "-q",
                 "--workers", "2", "--recipe", "scitune-multitask", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def built(arxiv_inputs, tmp_path_factory):
    archive, snapshot = arxiv_inputs
    out = tmp_path_factory.mktemp("built") / "out"
    return out, build(archive, snapshot, out)


def test_the_metadata_is_joined_to_the_figures_and_carried_to_the_records(built):
    out, summary = built
    assert summary["inputs"] == 4 and summary["without_metadata"] == 1 and summary["excluded"] == {}
    papers = {row["source_file"].split("!/")[1]: row for row in pq.read_table(out / "figures").to_pylist()}
    cc = papers["2307/2307.01139v2.pdf"]
    assert (cc["paper_id"], cc["title"], cc["categories"], cc["primary_category"], cc["license"], cc["version"],
            cc["published"], cc["update_date"]) == ("2307.01139", "Deep contextualized word representations",
                                                    ["cs.CL", "cs.LG"], "cs.CL", CC_BY, "v2", "2023-07-03", "2023-07-05")
    old = papers["9901/hep-th9901001v3.pdf"]
    assert (old["paper_id"], old["license"], old["version"], old["published"]) == ("hep-th/9901001", None, "v3",
                                                                                   "1999-01-05")
    unknown = papers["2307/2307.05555v1.pdf"]
    assert (unknown["title"], unknown["categories"], unknown["license"], unknown["version"]) == (None, None, None, "v1")
    records = pq.read_table(out / "data").to_pylist()
    assert {(r["paper_id"], r["license"], r["primary_category"]) for r in records} == {
        ("2307.01139", CC_BY, "cs.CL"), ("2307.04321", ARXIV, "physics.optics"), ("hep-th/9901001", None, "hep-th"),
        ("2307.05555", None, None)}
    assert cli("validate", out).exit_code == 0


@pytest.mark.parametrize("option,value,kept,excluded", [
    ("--paper-licenses", "cc-by,cc-by-sa,cc0", {"2307.01139"}, {"license": 2, "no_metadata": 1}),
    ("--categories", "physics.*,hep-*", {"2307.04321", "hep-th/9901001"}, {"category": 1, "no_metadata": 1}),
    ("--submitted", "..2000", {"hep-th/9901001"}, {"date": 2, "no_metadata": 1}),
])
def test_a_build_selects_papers_before_reading_them(option, value, kept, excluded, arxiv_inputs, tmp_path):
    archive, snapshot = arxiv_inputs
    summary = build(archive, snapshot, tmp_path / "out", option, value)
    assert summary["excluded"] == excluded and summary["inputs"] == len(kept)
    assert set(pq.read_table(tmp_path / "out" / "figures", columns=["paper_id"])["paper_id"].to_pylist()) == kept
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["selection"][option.removeprefix("--").replace("paper-", "")] not in (None, [])


def test_a_selection_without_metadata_or_with_a_typo_is_a_usage_error(arxiv_inputs, tmp_path):
    archive, snapshot = arxiv_inputs
    result = cli("build", "--pdf-dir", archive, "--out", tmp_path / "a", "--paper-licenses", "cc-by")
    assert result.exit_code == 2 and "--metadata" in said(result.output)
    result = cli("build", "--pdf-dir", archive, "--out", tmp_path / "b", "--metadata", snapshot, "--paper-licenses",
                 "cc-by-5.0")
    assert result.exit_code == 2 and "unknown licence" in said(result.output) and not (tmp_path / "b").exists()
    result = cli("build", "--pdf-dir", archive, "--out", tmp_path / "c", "--metadata", tmp_path / "nowhere.json")
    assert result.exit_code == 2 and "cannot be read" in said(result.output)


def test_records_select_papers_by_the_figures_tables_columns(built, tmp_path):
    out, _ = built
    result = cli("records", "--figures", out / "figures", "--out", tmp_path / "cc", "--recipe", "scitune-multitask",
                 "--paper-licenses", "cc-by")
    assert result.exit_code == 0, result.output
    records = pq.read_table(tmp_path / "cc" / "data", columns=["paper_id"])["paper_id"].to_pylist()
    assert set(records) == {"2307.01139"}
    dropped = json.loads((tmp_path / "cc" / "manifest.json").read_text())["counts"]["dropped"]
    assert dropped["license"] > 0 and dropped["no_metadata"] > 0


def test_publish_refuses_what_it_may_not_redistribute_unless_told(built, tmp_path):
    out, _ = built
    refused = cli("publish", out, "--repo-id", "someone/arxiv", "--dry-run", tmp_path / "refused")
    message = said(refused.output)
    assert refused.exit_code == 2 and "from 3 papers" in message and "arxiv" in message and "unknown" in message
    assert "--paper-licenses" in message and "--allow-restricted-licenses" in message
    assert not (tmp_path / "refused").exists()
    allowed = cli("publish", out, "--repo-id", "someone/arxiv", "--dry-run", tmp_path / "all",
                  "--allow-restricted-licenses")
    assert allowed.exit_code == 0, allowed.output
    attribution = (tmp_path / "all" / "ATTRIBUTION.md").read_text()
    assert "| [hep-th/9901001](https://arxiv.org/abs/hep-th/9901001v3) | Strings at one loop | unknown | pdf |" in attribution
    assert "| `2307.05555` |" not in attribution and "[2307.05555](https://arxiv.org/abs/2307.05555v1) | unknown |" in attribution
    assert f"| Optics of \\| pipes | [arxiv]({ARXIV}) | pdf |" in attribution


def test_publish_selects_papers_by_licence_and_the_card_attributes_them(built, tmp_path):
    datasets = pytest.importorskip("datasets")
    out, _ = built
    tree = tmp_path / "cc"
    result = cli("publish", out, "--repo-id", "someone/arxiv-cc", "--dry-run", tree, "--paper-licenses",
                 "cc-by,cc-by-sa,cc0")
    assert result.exit_code == 0, result.output
    card = (tree / "README.md").read_text()
    row = (f"| [2307.01139](https://arxiv.org/abs/2307.01139v2) | Deep contextualized word representations | "
           f"[cc-by-4.0]({CC_BY}) | pdf |")
    assert row in card and "2307.04321" not in card and "hep-th" not in card
    assert "Only figures of papers under `cc-by`, `cc-by-sa`, `cc0` are published" in card
    loaded = datasets.load_dataset(str(tree))
    assert {r for split in loaded.values() for r in split["paper_id"]} == {"2307.01139"}
    manifest = json.loads((tree / "manifest.json").read_text())
    assert manifest["counts"]["records"] == sum(len(split) for split in loaded.values())
    assert {s["file"].split("/")[-1] for s in manifest["shards"]} == {p.name for p in (tree / "data").iterdir()}
