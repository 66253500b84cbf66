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
    """Textual's ``Footer`` rebuilds all its key widgets on every bindings signal (each focus
    move, each ``refresh_bindings``): several times before the first card is painted, and again
    for every card. This one skips a rebuild that would show the keys it was last rebuilt for."""

    def __init__(self) -> None:
        super().__init__()
        self._rebuilt_for: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = shown_keys(screen)
        rebuilds = screen.app.app_focus and self.is_attached and screen is self.screen
        if rebuilds and shown == self._rebuilt_for:
            return
        self._rebuilt_for = shown if rebuilds else None
        super().bindings_changed(screen)
