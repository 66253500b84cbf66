"""The header of every screen: the command palette's icon and the title on one line."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

ICON = Content.from_markup("[@click=app.command_palette] ⭘ [/]")
ICON_WIDTH, CLOCK_WIDTH = 8, 10
"""The columns Textual's ``Header`` gives its icon and its (empty) clock space: the title is
centred between them, as there."""


class TitleBar(Widget):
    """Textual's ``Header`` is four widgets (itself, the icon, the title, the clock's space),
    each styled as it mounts, on every screen: this draws the same line as one. A click on the
    icon opens the command palette; the title is the screen's (or the app's) title and
    subtitle, redrawn when one of them changes."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.auto_links = False  # the icon keeps the bar's colours, not a link's

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(
            app.title if screen.title is None else screen.title, app.sub_title if screen.sub_title is None else screen.sub_title
        )
        room = max(self.size.width - ICON_WIDTH - CLOCK_WIDTH, 0)
        return Content.assemble(ICON.pad_right(ICON_WIDTH - ICON.cell_length), title.center(room, ellipsis=True))
