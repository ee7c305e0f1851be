"""The tables (figures, errors, records): versioned JSON Schemas as data (``json_schemas/``), the
Arrow schemas derived from them, and the builders of their rows."""
