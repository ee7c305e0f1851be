"""Shipped recipes as package data, addressable by name: build recipes in ``records/`` (linked as
``pipelines/`` at the top of the repository), training recipes and launcher configs in
``training/`` (linked as ``train/``); and the one loader of TOML into dataclasses."""
