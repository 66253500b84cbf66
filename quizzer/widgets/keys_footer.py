"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, bool], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a footer displays for ``screen``: each shown binding's key, label and whether it is enabled."""
    return tuple(
        (binding.key, binding.description, enabled)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """Textual's ``Footer`` schedules a rebuild of all its key widgets on every bindings signal
    (each focus move, each ``refresh_bindings``): several before the first card is painted, and
    more for every card. This one skips a rebuild that would show the keys already shown.
    (Its other reasons to rebuild, ``compact`` and ``show_command_palette``, never change here.)"""

    def __init__(self) -> None:
        super().__init__()
        self._built_for: Shown | None = None

    async def recompose(self) -> None:
        if not self.is_attached:  # its screen was closed before the rebuild came round
            return
        shown = shown_keys(self.screen)
        if shown == self._built_for:
            return
        self._built_for = shown
        await super().recompose()
