"""Arrow schemas of the figures and errors tables (derived from ``schemas/``)."""

from __future__ import annotations

from scitune_data.schema.registry import arrow_schema

FIGURES_SCHEMA = arrow_schema("figures")
ERRORS_SCHEMA = arrow_schema("errors")
