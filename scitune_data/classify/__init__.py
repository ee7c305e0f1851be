"""Figure types: a label set compatible with SciCap and the classifiers that assign it."""
