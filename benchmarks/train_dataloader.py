"""Training data loader throughput on CPU: samples/s the streaming loader delivers (decoding
and preprocessing images in DataLoader workers, tokenizing, grouping, collating).

    python benchmarks/train_dataloader.py --data OUT [--workers 0 2] [--batch-size 16] [--batches 50]

Compare with what a GPU step consumes: a 7B LM trained on 2,048-token samples costs about
6 x 7e9 x 2048 = 8.6e13 FLOPs per sample, so an H100 at 40 % MFU (about 400 TFLOP/s) eats
about 5 samples/s, an 8-GPU node about 40; the loader must beat that by a wide margin. The tokenizer is a
local byte-level BPE trained on the shards' text (no download); the image preprocessing is the
trainer's own (:mod:`scitune_data.train.images`): padded to a square, resized to 224 px (ViT-L/14,
as the recipes), normalised; ``--aspect crop`` for resize-and-centre-crop instead.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyarrow.parquet as pq
import torch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--aspect", choices=("pad", "crop"), default="pad")
    args = parser.parse_args()
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.tiny_models import tiny_tokenizer  # noqa: PLC0415

    from scitune_data.output_layout import shard_files  # noqa: PLC0415
    from scitune_data.train.config import DataSource  # noqa: PLC0415
    from scitune_data.train.data import ShardStream  # noqa: PLC0415
    from scitune_data.train.images import ImageSpec, ImageTransform  # noqa: PLC0415
    from scitune_data.train.model import OPENAI_MEAN, OPENAI_STD  # noqa: PLC0415

    texts = [t["value"] for p in shard_files(args.data)
             for r in pq.read_table(p, columns=["conversations"]).to_pylist() for t in r["conversations"]]
    tokenizer = tiny_tokenizer(texts, vocab_size=2000)
    preprocess = ImageTransform(ImageSpec(args.image_size, OPENAI_MEAN, OPENAI_STD, args.aspect == "pad"))
    for workers in args.workers:
        stream = ShardStream([DataSource(str(args.data))], tokenizer, preprocess, image_tokens=256, max_length=2048,
                             batch_size=args.batch_size, window=8)
        samples, start, epoch = 0, time.perf_counter(), 0
        while samples < args.batches * args.batch_size:
            stream.set_position(epoch, 0)
            for batch in torch.utils.data.DataLoader(stream, batch_size=None, num_workers=workers):
                samples += batch["input_ids"].shape[0]
                if samples >= args.batches * args.batch_size:
                    break
            epoch += 1
        seconds = time.perf_counter() - start
        print(f"workers={workers} samples={samples} seconds={seconds:.2f} samples_per_s={samples / seconds:.1f}")


if __name__ == "__main__":
    main()
