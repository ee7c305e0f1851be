"""Table schemas (Arrow) shared by writers, readers and the validator."""
