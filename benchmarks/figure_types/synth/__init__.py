"""Synthetic figures of every type for training the figure-type model (see ``synthetic.py``)."""
