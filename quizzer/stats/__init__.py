"""Statistics over the review history: pure functions of a Session and study-day boundaries.

SQL does the aggregation (portable between SQLite and PostgreSQL); nothing here imports
Textual or torch, and nothing writes to the database.
"""

__all__: list[str] = []
