"""The ``scitune-data`` command line: one module per command group."""
