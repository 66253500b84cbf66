"""Keys that never go astray on the screens that show one item at a time (review, drill).

A key belongs to the item that was on screen when it was pressed: keys typed while the next
item loads (muscle memory: `2` to rate, then the start of an answer) are dropped, not typed
into the next item's box or taken as its rating. Textual stamps every event with the time it
was read; the screen says from when its current item counts.

`esc` in a text box gives the focus back to the screen first, so the single-letter keys
(undo, bury, suspend, skip, info, edit …) work again; a second `esc` leaves.

`i` (card info) and `e` (edit the item's file) take one path on both screens, here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import events
from textual._time import get_time  # the clock Textual stamps events with
from textual.command import Provider
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from quizzer.screens.key_commands import KeyCommands
from quizzer.services.container import Services
from quizzer.services.review import ReviewCard
from quizzer.vocabulary import Showing

R = TypeVar("R")

SKIP = "Later in this session: it comes back once nothing else is left"
"""What skipping (`k`) does, for the palette."""

ALWAYS = frozenset({"ctrl+q", "ctrl+c"})
"""Keys never dropped: quitting works even while the database is waited for."""


class ItemKeys(Screen[R]):
    """A screen that drops keys pressed before its item showed (the app drops those it has
    not passed on yet, ``on_key`` those that waited at the screen). Its keys are in the
    command palette too."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {KeyCommands}

    services: Services
    card: ReviewCard | None
    """The card on screen, if any."""
    language: Showing

    keys_since = math.inf
    """When the item on screen showed: keys pressed earlier are dropped (inf until one shows)."""

    def item_loading(self) -> None:
        """The next item is being fetched: every key pressed now is dropped."""
        self.keys_since = math.inf

    def item_shown(self) -> None:
        """The item is on screen: keys from now on are its own."""
        self.keys_since = get_time()

    def stale(self, event: events.Key) -> bool:
        return event.time < self.keys_since and event.key not in ALWAYS

    def on_key(self, event: events.Key) -> None:
        """A key that reached the screen (no widget took it) after waiting behind a change of item."""
        if self.stale(event):
            event.prevent_default()
            event.stop()

    def leave_text_box(self, to: Widget | None = None) -> bool:
        """If a text box has the focus, give it to ``to`` (None: the screen itself); True if it did."""
        focused = self.focused
        if isinstance(focused, Input) or (isinstance(focused, TextArea) and not focused.read_only):
            self.set_focus(to)
            return True
        return False

    def action_info(self) -> None:
        """Card info: the card's state, predicted recall, history and drill attempts (``i`` or ``escape`` closes it)."""
        from quizzer.screens.card_info import CardInfoScreen  # like the drill screen: only when used

        if self.card is not None:
            self.app.push_screen(CardInfoScreen(self.services.info.card(self.card.card_id), self.language))

    def action_edit(self) -> None:
        """Edit the card's item in $VISUAL/$EDITOR at its line; ``edited`` shows it again as saved."""
        from quizzer.screens.editing import ItemEditor

        if (card := self.card) is not None:
            ItemEditor(self.app, self.services, card.item.id, lambda: self.edited(card)).run()

    def edited(self, card: ReviewCard) -> None:
        """The edit of ``card``'s item is over (saved or discarded): show the card as it is now."""
        raise NotImplementedError(f"{type(self).__name__} shows an edited card again its own way")
