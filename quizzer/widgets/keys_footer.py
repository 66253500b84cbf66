"""The footer of every screen: its keys on one line, each clicked as it is pressed.

At 80 columns a screen has more keys than fit: the footer shows them whole, in the screen's
order (the most used first), as many as fit, and always ends with `?` (every key of the screen)
and the palette's key (every action by name), so the ones left out are one key away.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool]
"""A key as shown: the key, how it is written, its label, whether it does something now."""


HELP_KEY = "question_mark"
"""The app's `?`, which lists every key of the screen: shown at the right end, never cut."""


def shown_keys(screen: Screen[object]) -> tuple[list[Key], list[Key]]:
    """What a footer displays for ``screen``: its shown bindings, then those kept at the right
    end (`?` and the command palette's key)."""
    app, keys, pinned = screen.app, [], []
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        shown = (binding.key, app.get_key_display(binding), binding.description, enabled)
        if binding.key == app.COMMAND_PALETTE_BINDING:
            pinned.extend([shown] if app.ENABLE_COMMAND_PALETTE else [])
        elif binding.key == HELP_KEY:
            pinned.insert(0, shown)
        elif binding.show:
            keys.append(shown)
    return keys, pinned


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
        keys, pinned = shown_keys(self.screen)
        end = Text("▏", style="dim").append_text(Text("").join(map(self._key, pinned))) if pinned else Text("")
        room = self.size.width - end.cell_len
        line = Text(no_wrap=True, overflow="crop", end="")
        for key in map(self._key, keys):
            if line.cell_len + key.cell_len > room:  # this key and the rest: under `?` and in the palette
                break
            line.append_text(key)
        line.pad_right(max(room - line.cell_len, 0))
        return line.append_text(end)

    def _key(self, shown: Key) -> Text:
        key, display, description, enabled = shown
        click = Style(meta={"@click": f"app.simulate_key({key!r})"}, dim=not enabled)
        return Text.assemble(
            (f" {display} ", self.get_component_rich_style("keys-footer--key") + click),
            (f"{description} ", self.get_component_rich_style("keys-footer--description") + click),
        )
