"""Training recipes (shipped in ``scitune_data/recipes/training/``, linked as ``train/``; or any
TOML file) as typed config, with ``--set key=value`` overrides.

Plain data: parsing a recipe imports neither torch nor transformers, so a bad key fails in
milliseconds, before any model is loaded.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from scitune_data.recipes.loader import from_table, read_recipe


class TrainConfigError(ValueError):
    """A recipe key or override that does not exist or does not parse."""


def _choice(where: str, value: str, options: tuple[str, ...]) -> None:
    if value not in options:
        raise TrainConfigError(f"{where} = {value!r}: choose one of {', '.join(options)}")


@dataclass(frozen=True, slots=True)
class DataSource:
    path: str  # a build output folder, its data/ folder or a shard file
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class ModelConfig:
    vision: str = "open_clip:ViT-L-14:openai"  # open_clip:ARCH:PRETRAINED or hf:NAME_OR_PATH
    vision_config_dir: str | None = None  # folder of extra open_clip architecture JSONs
    feature_layer: int = -2
    projector: str = "linear"
    language_model: str = "meta-llama/Llama-2-7b-hf"
    tokenizer: str | None = None  # default: the language model's
    image_aspect: str = "pad"  # pad: to a square first (LLaVA-1.5); crop: resize and centre-crop

    def __post_init__(self) -> None:
        _choice("model.projector", self.projector, ("linear", "mlp2x_gelu"))
        _choice("model.image_aspect", self.image_aspect, ("pad", "crop"))


@dataclass(frozen=True, slots=True)
class LoraConfig:
    r: int = 0  # 0: no LoRA (full fine-tuning of the LM when it trains)
    alpha: int = 16
    dropout: float = 0.05
    target_modules: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")


@dataclass(frozen=True, slots=True)
class OptimConfig:
    stage: str = "align"  # align: projector only; instruct: projector + LM
    lr: float = 2e-3
    weight_decay: float = 0.0
    epochs: int = 1
    max_steps: int | None = None
    warmup_ratio: float = 0.03
    schedule: str = "cosine"
    global_batch_size: int = 256  # records per optimizer step, over all processes
    batch_size: int = 16  # records per forward pass on one device; accumulation fills the rest
    max_grad_norm: float = 1.0
    max_length: int = 2048
    bf16: bool = True  # bf16 compute and frozen weights; trained weights and AdamW stay fp32
    gradient_checkpointing: bool = True
    parallel: str = "ddp"  # with several processes: ddp (replicas) or fsdp (FSDP2 shards)
    seed: int = 0
    init_projector: str | None = None  # a stage-1 checkpoint folder
    save_every: int = 1000
    log_every: int = 10
    num_workers: int = 2
    window: int = 16
    tensorboard: bool = False

    def __post_init__(self) -> None:
        _choice("train.stage", self.stage, ("align", "instruct"))
        _choice("train.schedule", self.schedule, ("cosine", "constant"))
        _choice("train.parallel", self.parallel, ("ddp", "fsdp"))
        if self.batch_size < 1 or self.global_batch_size % self.batch_size:
            raise TrainConfigError(f"train.global_batch_size {self.global_batch_size} must be a multiple of "
                                   f"train.batch_size {self.batch_size}")


@dataclass(frozen=True, slots=True)
class DataConfig:
    sources: tuple[DataSource, ...] = ()
    mode: str = "mixed"  # mixed (weighted interleave) or sequential
    split: str = "train"
    prompt: str = "v1"  # v1: instruction and answer in LLaVA's v1 chat layout; plain: image, then answer

    def __post_init__(self) -> None:
        _choice("data.mode", self.mode, ("mixed", "sequential"))
        _choice("data.prompt", self.prompt, ("v1", "plain"))


@dataclass(frozen=True, slots=True)
class TrainConfig:
    model: ModelConfig = field(default_factory=ModelConfig)
    train: OptimConfig = field(default_factory=OptimConfig)
    lora: LoraConfig = field(default_factory=LoraConfig)
    data: DataConfig = field(default_factory=DataConfig)

    def as_dict(self) -> dict:
        def plain(obj):
            if hasattr(obj, "__dataclass_fields__"):
                return {f.name: plain(getattr(obj, f.name)) for f in fields(obj)}
            if isinstance(obj, (list, tuple)):
                return [plain(x) for x in obj]
            return obj
        return plain(self)


RENAMED = {"grad_accum": "accumulation is derived: set train.global_batch_size (records per optimizer step)"}


def _section(cls, values: dict, where: str):
    renamed = sorted(set(values) & RENAMED.keys())
    if renamed:
        raise TrainConfigError(f"{where}: {renamed[0]} is gone; {RENAMED[renamed[0]]}")
    return from_table(cls, values, where, TrainConfigError)


def from_dict(data: dict, where: str = "recipe") -> TrainConfig:
    sources = tuple(DataSource(str(s["path"]), float(s.get("weight", 1.0)))
                    for s in data.get("data", {}).get("sources", []))
    data_section = {k: v for k, v in data.get("data", {}).items() if k != "sources"}
    return TrainConfig(
        model=_section(ModelConfig, data.get("model", {}), f"{where} [model]"),
        train=_section(OptimConfig, data.get("train", {}), f"{where} [train]"),
        lora=_section(LoraConfig, data.get("lora", {}), f"{where} [lora]"),
        data=replace(_section(DataConfig, data_section, f"{where} [data]"), sources=sources),
    )


def load_config(name_or_path: str | Path) -> TrainConfig:
    """A shipped training recipe by name (``stage1-align``) or a TOML file."""
    where, data = read_recipe(name_or_path, "training", TrainConfigError)
    return from_dict(data, where)


def _parse(text: str):
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # a bare string


def with_overrides(config: TrainConfig, overrides: list[str], data: list[str] | None = None) -> TrainConfig:
    """``section.key=value`` overrides (TOML values; bare words are strings) and ``--data``
    sources (``PATH`` or ``PATH:WEIGHT``) replacing the recipe's."""
    raw = config.as_dict()
    for item in overrides:
        key, sep, value = item.partition("=")
        section, _, name = key.partition(".")
        if not sep or section not in raw or not isinstance(raw[section], dict) or name not in raw[section]:
            raise TrainConfigError(f"--set {item!r}: expected section.key=value with a known key")
        raw[section][name] = _parse(value)
    if data:
        sources = []
        for item in data:
            path, _, weight = item.rpartition(":") if item.rsplit(":", 1)[-1].replace(".", "", 1).isdigit() else (item, "", "1")
            sources.append({"path": path, "weight": float(weight or 1)})
        raw["data"]["sources"] = sources
    return from_dict(raw, "overrides")
