"""The footer of every screen: its keys on one line, each clicked as it is pressed."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool]
"""A key as shown: the key, how it is written, its label, whether it does something now."""


def shown_keys(screen: Screen[object]) -> tuple[list[Key], Key | None]:
    """What a footer displays for ``screen``: its shown bindings, and the command palette's key."""
    app, keys, palette = screen.app, [], None
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        shown = (binding.key, app.get_key_display(binding), binding.description, enabled)
        if binding.key == app.COMMAND_PALETTE_BINDING:
            palette = shown if app.ENABLE_COMMAND_PALETTE else None
        elif binding.show:
            keys.append(shown)
    return keys, palette


class KeysFooter(Widget):
    """Textual's ``Footer`` is a widget per key, each styled up to three times as it mounts and
    all rebuilt on every bindings signal: a fifth of the CPU the app spent on its first drill.
    This one is one line of text, redrawn when the screen's keys change (a focus move, a
    ``refresh_bindings``); a click on a key simulates pressing it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keys-footer--key", "keys-footer--description"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.auto_links = False  # the keys keep their colours, not a link's

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        keys, palette = shown_keys(self.screen)
        line = Text(no_wrap=True, overflow="crop", end="")
        for key in keys:
            line.append_text(self._key(key))
        if palette is not None:  # at the right end, as Textual's footer puts it; the other keys cut before it
            right = Text("▏", style="dim").append_text(self._key(palette))
            room = max(self.size.width - right.cell_len, 0)
            line.truncate(room, pad=True)
            line.append_text(right)
        return line

    def _key(self, shown: Key) -> Text:
        key, display, description, enabled = shown
        click = Style(meta={"@click": f"app.simulate_key({key!r})"}, dim=not enabled)
        return Text.assemble(
            (f" {display} ", self.get_component_rich_style("keys-footer--key") + click),
            (f"{description} ", self.get_component_rich_style("keys-footer--description") + click),
        )
