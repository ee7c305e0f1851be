"""Text around figures: caption variants, body paragraphs, mentions."""
