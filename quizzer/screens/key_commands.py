"""The screen's keys as commands in the palette (`ctrl+p`): every action a key takes on a
review or a drill (undo, bury, suspend, skip, give up, a hint …) can also be found by name,
which matters while a text box has the keys."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class KeyCommands(Provider):
    """The screen's own bindings that do something now (its ``check_action`` allows them)."""

    def _commands(self) -> Iterator[tuple[str, str, Binding]]:
        screen, seen = self.screen, set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            namespace, name, parameters = parse(binding.action)
            if not namespace and screen.check_action(name, parameters) is not True:
                continue
            seen.add(binding.action)
            key = f"key {binding.key_display or binding.key}"
            yield binding.description, f"{binding.tooltip} · {key}" if binding.tooltip else key, binding

    def _run(self, binding: Binding) -> None:
        self.app.call_later(self.screen.run_action, binding.action)

    async def discover(self) -> Hits:
        for text, help_text, binding in self._commands():
            yield DiscoveryHit(text, partial(self._run, binding), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, binding in self._commands():
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, binding), help=help_text)
