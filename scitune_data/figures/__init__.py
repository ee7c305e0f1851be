"""Figure and table extraction: captions, regions, crops."""
