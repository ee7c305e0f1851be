"""scitune-data: scientific PDFs to multimodal instruction-tuning data (SciTune recipe)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scitune-data")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
