"""LLaVA conversations → token ids and labels, in one of two prompt formats:

- ``v1`` (SciTune's, and LLaVA's instruction tuning): a system line, ``USER:`` / ``ASSISTANT:``
  turns, the end-of-sequence token after each answer;
- ``plain`` (LLaVA-1.5's stage 1): the image, then the first answer and the end-of-sequence
  token; the instruction is dropped.

``<image>`` becomes ``image_tokens`` copies of the tokenizer's image token, which the model
replaces by the projected vision features. Only assistant tokens (and their end token) are
learned: everything else is labelled -100.

A record longer than ``max_length`` is cut at the end, never inside the image tokens: if the
image would be cut, or no assistant token would survive, the record is skipped and counted
(:class:`TooLong`), never silently corrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

from scitune_data.schema.records import IMAGE_TOKEN

IGNORE = -100
SYSTEM = ("A chat between a curious human and an artificial intelligence assistant. The assistant "
          "gives helpful, detailed, and polite answers to the human's questions.")


class TooLong(ValueError):
    """The record cannot fit ``max_length`` without cutting its image or all its answers."""


@dataclass(frozen=True, slots=True)
class Tokenized:
    input_ids: list[int]
    labels: list[int]
    image_start: int  # index of the first image token, -1 without an image
    image_tokens: int


def _pieces(conversations: list[dict], eos: str, prompt: str = "v1") -> list[tuple[str, bool]]:
    """(text, learned?) pieces of the prompt, in order."""
    if prompt == "plain":
        image = IMAGE_TOKEN if IMAGE_TOKEN in conversations[0]["value"] else ""
        answer = next((turn["value"] for turn in conversations if turn["from"] != "human"), "")
        return [(image, False)] + ([(answer, True), (eos, True)] if answer else [])
    pieces: list[tuple[str, bool]] = [(SYSTEM, False)]
    for turn in conversations:
        if turn["from"] == "human":
            pieces.append((" USER: " + turn["value"] + " ASSISTANT:", False))
        else:
            pieces.append((" " + turn["value"], True))
            pieces.append((eos, True))
    return pieces


def _encode(pieces: list[tuple[str, bool]], tokenizer, image_tokens: int) -> tuple[list[int], list[int], int]:
    """Token ids, labels and the first image token's index (-1 without an image) of ``pieces``."""
    image_id = tokenizer.convert_tokens_to_ids(IMAGE_TOKEN)
    input_ids: list[int] = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    labels: list[int] = [IGNORE] * len(input_ids)
    image_start = -1
    for text, learned in pieces:
        for index, part in enumerate(text.split(IMAGE_TOKEN)):
            if index:
                if image_start >= 0:
                    raise ValueError("a record may hold one <image>")
                image_start = len(input_ids)
                input_ids.extend([image_id] * image_tokens)
                labels.extend([IGNORE] * image_tokens)
            if part:
                ids = tokenizer(part, add_special_tokens=False)["input_ids"]
                input_ids.extend(ids)
                labels.extend(ids if learned else [IGNORE] * len(ids))
    return input_ids, labels, image_start


def prompt_ids(human: str, tokenizer, image_tokens: int, prompt: str = "v1") -> tuple[list[int], int]:
    """Token ids of a one-turn prompt up to where the answer begins (what generation continues)
    and the index of its first image token (-1 without an image)."""
    ids, _, image_start = _encode(_pieces([{"from": "human", "value": human}], tokenizer.eos_token, prompt),
                                  tokenizer, image_tokens)
    return ids, image_start


def tokenize(conversations: list[dict], tokenizer, image_tokens: int, max_length: int,
             prompt: str = "v1") -> Tokenized:
    """Token ids and labels of one record (see the module docstring)."""
    input_ids, labels, image_start = _encode(_pieces(conversations, tokenizer.eos_token, prompt),
                                             tokenizer, image_tokens)
    if len(input_ids) > max_length:
        if image_start >= 0 and image_start + image_tokens > max_length:
            raise TooLong(f"the image tokens end at {image_start + image_tokens} > max_length {max_length}")
        input_ids, labels = input_ids[:max_length], labels[:max_length]
    if all(label == IGNORE for label in labels):
        raise TooLong(f"no answer token survives max_length {max_length}")
    return Tokenized(input_ids, labels, image_start, image_tokens if image_start >= 0 else 0)
