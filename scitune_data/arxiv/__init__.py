"""arXiv as users get it: paper ids from file names, the OAI metadata snapshot, the licences
papers carry, and the selection of papers by licence, category and date."""
