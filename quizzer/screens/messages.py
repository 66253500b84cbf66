"""What screens ask of the app: the app owns the screen stack, so screens post these and it acts."""

from __future__ import annotations

from textual.message import Message

from quizzer.scheduling.custom import CustomStudy


class StartReview(Message):
    """Review ``deck`` (None: every deck), or study ``custom``, leaving a review already under way."""

    def __init__(self, deck: str | None, custom: CustomStudy | None = None) -> None:
        super().__init__()
        self.deck, self.custom = deck, custom


class ShowDecks(Message):
    """Leave the review for the deck tree."""


class ShowBrowser(Message):
    """Open the card browser on ``query`` (the search language; empty: every card)."""

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query = query
