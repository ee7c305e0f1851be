"""Instruction records: tasks × human-written templates → LLaVA conversations."""
