"""Sharing: dataset cards, Hub publishing, the HTML gallery."""
