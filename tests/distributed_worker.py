"""One process of a multi-process trainer test, started by torchrun from
``tests/test_train_distributed.py``:

    torchrun --nproc_per_node 2 tests/distributed_worker.py PATHS_JSON OUT ddp|fsdp

Runs every scenario of :func:`tests.train_support.scenarios` through the builders and the loop,
then the ``train`` command itself, and writes ``OUT/rank-N.json`` with each run's results.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scitune_data.cli.main import app  # noqa: E402
from scitune_data.train.builders import build_model, build_tokenizer  # noqa: E402
from scitune_data.train.distributed import init_runtime  # noqa: E402
from scitune_data.train.loop import train  # noqa: E402
from tests.train_support import scenarios  # noqa: E402


def main(paths_file: str, out: str, parallel: str) -> None:
    paths, out_dir = json.loads(Path(paths_file).read_text()), Path(out)
    runtime = init_runtime()

    def run(config, folder: Path, max_steps: int | None = None) -> dict:
        tokenizer = build_tokenizer(config)
        model = build_model(config, tokenizer)
        result = train(config, model, tokenizer, folder, max_steps=max_steps, runtime=runtime)
        projector = next(model.projector.parameters())  # FSDP2 shards in place: a DTensor holding half
        shard = projector.to_local().numel() if hasattr(projector, "to_local") else projector.numel()
        return asdict(result) | {"output_dir": str(folder), "projector_share": shard / projector.numel()}

    results = {}
    for name, config in scenarios(paths, parallel).items():
        if name == "resume":
            results[name] = {"whole": run(config, out_dir / name / "whole"),
                             "first": run(config, out_dir / name / "parts", max_steps=2),
                             "second": run(config, out_dir / name / "parts")}
        else:
            results[name] = run(config, out_dir / name)
    (out_dir / f"rank-{runtime.rank}.json").write_text(json.dumps(results))
    app(["train", "--recipe", paths["recipe"], "--data", paths["shards"], "--output-dir", str(out_dir / "cli"),
         "--set", "train.max_steps=1", "--set", f"train.parallel={parallel}"], standalone_mode=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
