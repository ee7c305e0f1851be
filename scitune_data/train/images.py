"""Figure images → the vision tower's pixels.

Figures are often far from square (a wide plot, a tall table). Resizing the short side and
cropping the centre, as CLIP's own preprocessing does, throws away the sides of a wide figure,
so by default the image is first padded to a square with the normalisation mean as background
(LLaVA-1.5's choice). The transform is transformers' Llava image processor (its PIL backend),
the one ``export-llava`` saves beside the model: ``AutoProcessor.from_pretrained(export,
backend="pil")`` gives the training pixels exactly; the default torchvision backend resamples
slightly differently.
"""

from __future__ import annotations

from dataclasses import dataclass

BICUBIC = 3  # PIL's (and transformers' PILImageResampling) bicubic filter


@dataclass(frozen=True, slots=True)
class ImageSpec:
    size: int  # the square side the tower takes
    mean: tuple[float, ...]
    std: tuple[float, ...]
    pad_to_square: bool = True

    def processor(self):
        from transformers import LlavaImageProcessorPil  # noqa: PLC0415

        return LlavaImageProcessorPil(
            do_pad=self.pad_to_square, size={"shortest_edge": self.size},
            crop_size={"height": self.size, "width": self.size}, do_center_crop=True, resample=BICUBIC,
            image_mean=list(self.mean), image_std=list(self.std), do_convert_rgb=True)


class ImageTransform:
    """PIL image → ``(3, size, size)`` float tensor; cheap to pickle into DataLoader workers."""

    def __init__(self, spec: ImageSpec) -> None:
        self.spec = spec
        self._processor = None

    def __getstate__(self) -> dict:
        return {"spec": self.spec}

    def __setstate__(self, state: dict) -> None:
        self.spec, self._processor = state["spec"], None

    def __call__(self, image):
        if self._processor is None:
            self._processor = self.spec.processor()
        return self._processor(images=image, return_tensors="pt")["pixel_values"][0]
