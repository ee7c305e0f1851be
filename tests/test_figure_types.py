"""The learned figure-type model: what it ships, how it is evaluated, how it is retrained."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from scitune_data.classify.convnet import SIZE, ConvNet, ConvNetFileError, network_input
from scitune_data.classify.features import FEATURE_NAMES, feature_vector
from scitune_data.classify.forest import Forest, ModelFileError
from scitune_data.classify.labels import FIGURE_TYPES
from scitune_data.classify.model import CONVNET_PATH, MODEL_PATH, classify_figures, load_model
from scitune_data.figures.extract import extract_document
from scitune_data.pipeline.signals import OcrPlan, evidence_of, figure_signals
from tests import pdf_factory

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "figure_types"
NEUTRAL = "Results of the three runs on the validation data."


def _page_with(draw, caption: str = NEUTRAL) -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    pdf_factory.body_text(page, (72, 60, 540, 120))
    draw(page, (100, 160, 400, 330))
    pdf_factory.caption(page, (72, 345, 540, 380), f"Figure 1: {caption}")
    pdf_factory.body_text(page, (72, 400, 540, 700), words=3)
    return doc


@pytest.mark.parametrize(("draw", "expected"), [
    (pdf_factory.vector_plot, "Graph Plot"),
    (pdf_factory.vector_bars, "Bar Chart"),
    (pdf_factory.vector_scatter, "Scatterplot"),
])
def test_factory_charts_get_their_type_from_the_drawing(draw, expected):
    with _page_with(draw) as doc:
        result = extract_document(doc)
        signals, _ = figure_signals(result, OcrPlan("pdf-text"))
    assert [(f.kind, s.figure_type, s.figure_type_source) for f, s in zip(result.figures, signals)] == [
        ("figure", expected, "model")]


def test_tables_stay_tables_and_figures_get_the_model(tmp_path):
    with pymupdf.open(pdf_factory.two_column_paper(tmp_path / "paper.pdf")) as doc:
        result = extract_document(doc)
        signals, _ = figure_signals(result, OcrPlan("pdf-text"))
    sources = {(f.kind, s.figure_type_source) for f, s in zip(result.figures, signals)}
    assert sources == {("table", "kind"), ("figure", "model")}
    assert all(s.figure_type == "Table" for f, s in zip(result.figures, signals) if f.kind == "table")


def test_shipped_models_are_small_and_match_the_features():
    model = load_model()
    assert MODEL_PATH.stat().st_size + CONVNET_PATH.stat().st_size < 5 * 2**20
    assert model.forest.feature_names == FEATURE_NAMES
    assert set(model.classes) <= set(model.convnet.classes) <= set(FIGURE_TYPES)
    assert 0.0 < model.convnet_share < 1.0
    assert classify_figures([]) == []


def test_default_classifier_votes_trees_and_network_by_their_shares():
    with _page_with(pdf_factory.vector_bars) as doc:
        evidence = [evidence_of(f) for f in extract_document(doc).figures]
    model = load_model()
    trees = load_model(convnet_path=None)
    assert trees.convnet is None and trees.classes == model.classes
    seen = model.convnet.predict_proba(np.stack([network_input(e.pixels, model.convnet.size) for e in evidence]))
    seen = seen[:, [model.convnet.classes.index(c) for c in model.classes]]
    expected = (1 - model.convnet_share) * trees.predict_proba(evidence) + model.convnet_share * seen
    np.testing.assert_allclose(model.predict_proba(evidence), expected, atol=1e-6)
    np.testing.assert_allclose(model.predict_proba(evidence).sum(axis=1), 1.0, atol=1e-5)


def test_network_that_knows_other_types_than_the_trees_is_refused(tmp_path):
    rng = np.random.default_rng(0)
    convs = ((rng.normal(size=(4, 3, 3, 3)).astype(np.float32), np.zeros(4, np.float32)),)
    ConvNet(convs, rng.normal(size=(2, 8)).astype(np.float32), np.zeros(2, np.float32), ("Graph Plot", "Photo"),
            vote_share=0.5).save(tmp_path / "net.npz")
    with pytest.raises(ModelFileError, match="retrain both"):
        load_model(MODEL_PATH, tmp_path / "net.npz")


def test_model_file_trained_on_other_features_is_refused(tmp_path):
    model = load_model().forest
    other = Forest(model.feature, model.threshold, model.left, model.right, model.value, model.roots,
                   model.classes, model.feature_names[:-1])
    other.save(tmp_path / "old.npz")
    with pytest.raises(ModelFileError, match="retrain"):
        Forest.load(tmp_path / "old.npz", FEATURE_NAMES)
    (tmp_path / "junk.npz").write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="not a figure-type model"):
        Forest.load(tmp_path / "junk.npz", FEATURE_NAMES)


def test_exported_forest_predicts_as_scikit_learn_does(tmp_path):
    ensemble = pytest.importorskip("sklearn.ensemble")  # the [dev] extra
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6)).astype(np.float32)
    y = np.where(x[:, 0] + x[:, 1] ** 2 > 1, "a", np.where(x[:, 2] > 0, "b", "c"))
    fitted = ensemble.RandomForestClassifier(n_estimators=15, min_samples_leaf=2, random_state=0).fit(x, y)
    forest = Forest.from_sklearn(fitted, tuple("abcdef"))
    forest.save(tmp_path / "m.npz")
    loaded = Forest.load(tmp_path / "m.npz", tuple("abcdef"))
    probe = rng.normal(size=(200, 6)).astype(np.float32)
    assert loaded.classes == ("a", "b", "c")
    np.testing.assert_allclose(loaded.predict_proba(probe), fitted.predict_proba(probe), atol=2e-3)


def test_features_are_finite_and_fixed_length_for_every_kind_of_region():
    for draw in (pdf_factory.vector_plot, pdf_factory.vector_bars, lambda page, box: None):
        with _page_with(draw) as doc:
            for figure in extract_document(doc).figures:
                row = feature_vector(evidence_of(figure))
                assert row.shape == (len(FEATURE_NAMES),) and np.isfinite(row).all()


def test_labelled_set_is_split_by_paper_and_uses_the_project_labels():
    labels = json.loads((BENCHMARK / "labels.json").read_text())
    assert len(labels) >= 300
    split_of: dict[str, set[str]] = {}
    for key, row in labels.items():
        assert row["type"] in FIGURE_TYPES and row["how"]
        split_of.setdefault(key.split(" / ")[0], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in split_of.values())
    assert {s for splits in split_of.values() for s in splits} == {"dev", "test"}


def test_training_data_saw_only_the_dev_part():
    labels = json.loads((BENCHMARK / "labels.json").read_text())
    with np.load(BENCHMARK / "training_data.npz") as data:
        keys = [str(k) for k in data["real_keys"]]
        assert tuple(map(str, data["feature_names"])) == FEATURE_NAMES
        assert data["real"].shape == (len(keys), len(FEATURE_NAMES))
    assert keys and all(labels[key]["split"] == "dev" for key in keys)


@pytest.fixture
def benchmark_modules():
    """The figure-type benchmark's folder importable for one test; its script modules
    (``train``, ``synthetic``, ``dataset``: names other benchmarks use too) forgotten after."""
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, str(BENCHMARK))
    yield
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        if str(BENCHMARK) in (getattr(sys.modules[name], "__file__", None) or ""):
            del sys.modules[name]


def test_synthetic_figures_of_every_type_train_a_model(tmp_path, benchmark_modules):
    pytest.importorskip("sklearn")
    pytest.importorskip("skimage")
    import train  # noqa: PLC0415
    from synthetic import GENERATORS, synthetic_evidence  # noqa: PLC0415
    seen = {}
    for label, evidence in synthetic_evidence(per_type=2, seed=5):
        seen[label] = feature_vector(evidence)
    assert len(seen) >= len(GENERATORS) - 2  # the extractor misses some figures, as in a build
    rows, labels = np.stack(list(seen.values())), list(seen)
    forest = train.fit_forest(rows, labels, rows, labels, seed=0)
    assert set(forest.classes) == set(seen)
    predicted = forest.predict_proba(rows).argmax(axis=1)
    assert [forest.classes[i] for i in predicted] == list(seen)  # it fits what it saw


def _random_network(classes: int = 4):
    """A torch network with random weights and batch-norm statistics (not the identity); needs
    the ``benchmark_modules`` fixture."""
    torch = pytest.importorskip("torch")  # the [train] extra
    from convnet_training import Network  # noqa: PLC0415
    torch.manual_seed(0)
    network = Network(classes, channels=(4, 6, 8))
    with torch.no_grad():
        for layer in network.layers:
            norm = layer[1]
            norm.running_mean.uniform_(-0.5, 0.5), norm.running_var.uniform_(0.5, 2.0)
            norm.weight.uniform_(0.5, 1.5), norm.bias.uniform_(-0.2, 0.2)
    return network.eval()


def test_numpy_network_computes_what_torch_computes(benchmark_modules):
    network = _random_network()
    from convnet_training import export, torch_probabilities  # noqa: PLC0415
    exported = export(network, ("a", "b", "c", "d"))
    pixels = [np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)
              for seed, (h, w) in enumerate([(40, 90), (120, 30), (64, 64)])]
    inputs = np.stack([network_input(p) for p in pixels])
    np.testing.assert_allclose(exported.predict_proba(inputs), torch_probabilities(network, inputs), atol=1e-5)


def test_network_file_round_trip_and_refusals(tmp_path, benchmark_modules):
    network = _random_network(classes=3)
    from convnet_training import export  # noqa: PLC0415
    exported = export(network, ("x", "y", "z"))
    exported.save(tmp_path / "net.npz")
    loaded = ConvNet.load(tmp_path / "net.npz")
    inputs = np.stack([network_input(np.full((30, 50, 3), 90, dtype=np.uint8))])
    np.testing.assert_allclose(loaded.predict_proba(inputs), exported.predict_proba(inputs), atol=2e-2)  # float16
    (tmp_path / "junk.npz").write_bytes(b"not a network")
    with pytest.raises(ConvNetFileError, match="not a figure-type network"):
        ConvNet.load(tmp_path / "junk.npz")
    broken = ConvNet(exported.convs[:1] + exported.convs[2:], exported.fc_weight, exported.fc_bias, exported.classes)
    broken.save(tmp_path / "broken.npz")
    with pytest.raises(ConvNetFileError, match="do not chain"):
        ConvNet.load(tmp_path / "broken.npz")


def test_network_input_for_any_region():
    for pixels in (np.zeros((0, 0, 3), np.uint8), np.full((1, 300, 3), 255, np.uint8),
                   np.zeros((500, 3, 3), np.uint8)):
        x = network_input(pixels)
        assert x.shape == (3, SIZE, SIZE) and x.dtype == np.float32 and 0.0 <= x.min() <= x.max() <= 1.0
    assert network_input(np.full((20, 20, 3), 255, np.uint8)).max() == 0.0  # white is no ink
    assert network_input(np.zeros((20, 20, 3), np.uint8)).min() == 1.0
