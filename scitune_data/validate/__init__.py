"""Shard validation against the versioned schemas plus the rules a schema cannot say."""
