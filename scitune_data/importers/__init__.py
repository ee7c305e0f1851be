"""Importers: existing figure corpora (SciCap, VisText, ArxivCap, image+caption folders) into the same
figures table as ``build``, then the same records and shards."""
