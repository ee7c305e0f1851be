"""Exports of the shards for other trainers: LLaVA's JSON + image folder, chat ``messages``."""
