"""``kind = "cloze"``: a text with deletions, one card per deletion number."""
