"""FSRS wrapped as pure functions: card conversion, intervals, the daily queue."""
