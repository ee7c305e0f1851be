from __future__ import annotations

import pytest

from scitune_data.text.mentions import FigureKey, find_mentions, key_for_label, parse_references
from scitune_data.text.paragraphs import Paragraph, join_lines
from scitune_data.text.sentences import split_sentences


def figures(*numbers: str) -> list[FigureKey]:
    return [FigureKey("figure", n) for n in numbers]


@pytest.mark.parametrize(("text", "expected"), [
    ("as shown in Figure 3.", figures("3")),
    ("see Fig. 3 and", figures("3")),
    ("in Fig.\u00a03 (LaTeX's Fig.~3)", figures("3")),
    ("Figs. 3 and 4 compare", figures("3", "4")),
    ("Figures 2-4 show", figures("2", "3", "4")),
    ("Figures 2\u20134 show", figures("2", "3", "4")),
    ("Fig. 3(a) and Fig. 5b", figures("3", "5")),
    ("(see Fig. S1)", figures("S1")),
    ("Figs. 2, 3, and 5", figures("2", "3", "5")),
    ("Figure 21 is not Figure 2", figures("21", "2")),
    ("in Table 2 and Tab. 4", [FigureKey("table", "2"), FigureKey("table", "4")]),
    ("Table IV lists", [FigureKey("table", "IV")]),
    ("Results are presented in Table. 1.", [FigureKey("table", "1")]),
    ("words like \u2018Figure 1:\u2019 mark a caption", []),
    ("a configuration file", []),
])
def test_parse_references(text, expected):
    assert parse_references(text) == expected


def test_figure_2_never_matches_figure_21():
    paragraphs = [Paragraph("Figure 21 shows the ablation.", 3), Paragraph("Figure 2 shows the model.", 2)]
    found = find_mentions(paragraphs, {key_for_label("figure", "Figure 2")})
    assert found[FigureKey("figure", "2")].paragraphs == ["Figure 2 shows the model."]


def test_mentions_keep_paragraphs_and_sentences():
    text = "We train for ten epochs. The loss in Fig. 3 falls fast. Table 1 lists the data."
    found = find_mentions([Paragraph(text, 1)], {FigureKey("figure", "3"), FigureKey("table", "1")})
    assert found[FigureKey("figure", "3")].paragraphs == [text]
    assert found[FigureKey("figure", "3")].sentences == ["The loss in Fig. 3 falls fast."]
    assert found[FigureKey("table", "1")].sentences == ["Table 1 lists the data."]


def test_label_keys_share_one_spelling():
    assert key_for_label("figure", "Supplementary Figure S1") == FigureKey("figure", "S1")
    assert key_for_label("figure", "Figure A.2") == parse_references("see Fig. A2")[0]


def test_sentences_do_not_split_at_abbreviations():
    assert split_sentences("As in Fig. 2, Smith et al. found it. Next, e.g. here.") == [
        "As in Fig. 2, Smith et al. found it.", "Next, e.g. here."]


def test_join_lines_undoes_line_end_hyphens_only_before_lowercase():
    assert join_lines(["the model is robust to pertur-", "bations of the TA-", "BLE order"]) == (
        "the model is robust to perturbations of the TA- BLE order")
