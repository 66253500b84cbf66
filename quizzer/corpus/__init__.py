"""Content files: their format, validation with file:line, and import into storage."""
