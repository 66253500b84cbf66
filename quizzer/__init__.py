"""quizzer: daily spaced-repetition review of deep-learning notes, in the terminal."""

__version__ = "0.1.0"
