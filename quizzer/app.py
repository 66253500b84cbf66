"""The Textual app: wiring only. Screens decide, services persist."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from functools import partial
from typing import ClassVar

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, AutopilotCallbackType, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen

from quizzer.dialogs.error import report_error, reports_errors
from quizzer.scheduling.custom import CustomStudy
from quizzer.screens.home import HomeScreen
from quizzer.screens.item_keys import ItemKeys
from quizzer.screens.messages import ShowBrowser, ShowDecks, StartReview
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.services.optimizer import FAILED, ON_DEMAND
from quizzer.services.stats_text import optimizer_line
from quizzer.vocabulary import SHOWINGS, Showing, said

LANGUAGE_NAMES: dict[Showing, str] = {"zh": "Chinese · 中文", "en": "English", "both": "Chinese and English · 中英对照"}


class QuizzerApp(App[None]):
    """Daily review of deep-learning notes."""

    TITLE = "quizzer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "toggle_keys", "Keys", key_display="?"),
        Binding("l", "cycle_language", "Language"),
        Binding("slash", "show_browser", "Browse", key_display="/"),
        Binding("B", "show_browser", "Browse", show=False),
        Binding("a", "add_card", "Add card"),
    ]

    language: reactive[Showing] = reactive[Showing]("both")

    def __init__(self, services: Services, deck: str | None = None, custom: CustomStudy | None = None) -> None:
        super().__init__()
        self.services = services
        self.start_deck, self.start_custom = deck, custom

    async def run_async(
        self,
        *,
        headless: bool = False,
        inline: bool = False,
        inline_no_clear: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        auto_pilot: AutopilotCallbackType | None = None,
    ) -> None:
        """Run the app for real (tests use ``run_test``). Everything loaded by now (modules, classes,
        the ORM's mappings) lives as long as the process: frozen, the cyclic GC never scans it
        again, neither while the first card is built nor at exit (together ~0.2 s of start-up)."""
        gc.freeze()
        return await super().run_async(
            headless=headless, inline=inline, inline_no_clear=inline_no_clear, mouse=mouse, size=size, auto_pilot=auto_pilot
        )

    @reports_errors
    def on_mount(self) -> None:
        self.set_reactive(QuizzerApp.language, self.services.settings.language())
        if self.services.drills.has_drills():
            # After the first frame: the service imports torch (~2 s of CPU) beside the UI.
            self.call_after_refresh(self.services.drills.start_grader)
        # Refit FSRS after every 1,000 answers given here (not in scripts and benchmarks).
        self.services.review.answered = self.services.optimizer.after_answer
        self.set_interval(1.0, self.collect_optimization)
        self.call_after_refresh(self.run_worker, self.take_daily_backup, thread=True, group="backup")
        self.call_after_refresh(self.run_worker, self.prove_new_drills, thread=True, group="proofs")
        if self.start_deck is None and self.start_custom is None:
            self.push_screen(HomeScreen(self.services))
        else:  # straight into the review: the deck tree is built only when asked for
            self.start_review(self.start_deck or None, self.start_custom)

    def action_show_stats(self) -> None:
        # Imported on demand: plotext and the stats widgets stay out of the start-up path.
        from quizzer.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.services))

    def action_show_browser(self, query: str = "") -> None:
        """The card browser, searching ``query`` (from the deck tree: its selected deck)."""
        from quizzer.screens.browser import BrowserScreen  # on demand, like the statistics

        if isinstance(self.screen, BrowserScreen):
            self.screen.search_for(query)
        else:
            self.push_screen(BrowserScreen(self.services, query, self.language))

    def action_add_card(self) -> None:
        """The form for a card of one's own; once added, the browser shows it."""
        from quizzer.screens.add_card import AddCardScreen

        def added(item_id: str | None) -> None:
            if item_id is not None:
                self.notify(said((f"Added {item_id}", f"已添加 {item_id}"), self.language))
                self.action_show_browser(f"id:{item_id}")

        self.push_screen(AddCardScreen(self.services), added)

    @reports_errors
    def optimize_now(self) -> None:
        """Refit FSRS in a background process (the review goes on meanwhile)."""
        if self.services.optimizer.start(ON_DEMAND):
            self.notify(said(("Fitting FSRS to your reviews in the background…", "正在后台根据你的复习记录拟合 FSRS…"), self.language))
        else:
            self.notify(said(("A fit is already running", "拟合已在进行中"), self.language))

    @reports_errors
    def take_daily_backup(self) -> None:
        """The first start of a day copies an SQLite database to its backups folder (in a thread)."""
        self.services.daily_backup()

    @reports_errors
    def prove_new_drills(self) -> None:
        """New or edited drills enter the queue once the grading service proves them (in a thread)."""
        proven, problems = self.services.prove_pending()
        if proven:
            words = (f"{proven} new or edited drill(s) proven and added to the queue", f"{proven} 道新增或修改的练习已验证并加入队列")
            self.call_from_thread(self.notify, said(words, self.language))
        for problem in problems:
            self.call_from_thread(self.notify, f"Kept out of the queue: {problem}", severity="warning", markup=False)

    @reports_errors
    def collect_optimization(self) -> None:
        """Say how a background fit ended, once it has."""
        run = self.services.collect_optimization()
        if run is not None:
            self.notify(optimizer_line(run), severity="error" if run.outcome == FAILED else "information")

    async def on_event(self, event: events.Event) -> None:
        """A key pressed before the item on screen showed is dropped here, before it reaches
        the item's box (see ``screens.item_keys``)."""
        if isinstance(event, events.Key) and isinstance(self.screen, ItemKeys) and self.screen.stale(event):
            return
        await super().on_event(event)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every action (a key, a button, a screen's) runs here: one that raises is reported and the app goes on."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            report_error(self, error)
            return True

    def on_start_review(self, message: StartReview) -> None:
        self.start_review(message.deck, message.custom)

    def on_show_browser(self, message: ShowBrowser) -> None:
        self.action_show_browser(message.query)

    def on_show_decks(self, _message: ShowDecks) -> None:
        self.action_show_decks()

    def start_review(self, deck: str | None, custom: CustomStudy | None = None) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()  # from the palette inside a review: leave it, don't stack another
        self.push_screen(ReviewScreen(self.services, deck, self.language, custom))

    def action_custom_study(self) -> None:
        """The custom-study dialog for the deck selected in the tree, or the one under review."""
        from quizzer.screens.custom_study import CustomStudyScreen  # loaded when first used

        screen = self.screen
        deck = screen.selected_deck() if isinstance(screen, HomeScreen) else screen.deck if isinstance(screen, ReviewScreen) else None
        self.push_screen(CustomStudyScreen(self.services, deck or ""), self.study_chosen)

    def study_chosen(self, start: StartReview | None) -> None:
        if start is not None:
            self.post_message(start)

    def action_show_decks(self) -> None:
        """Leave a review for the deck tree, which a start with ``--deck`` has not built yet."""
        if any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen(self.services))

    @reports_errors
    def watch_language(self, language: Showing) -> None:
        self.services.settings.set_language(language)
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen):
                screen.set_language(language)

    def action_cycle_language(self) -> None:
        self.language = SHOWINGS[(SHOWINGS.index(self.language) + 1) % len(SHOWINGS)]
        self.notify(f"Cards in {LANGUAGE_NAMES[self.language]}")

    def action_toggle_keys(self) -> None:
        """``?``: the keys of the screen shown, over it (``?`` there closes them)."""
        from quizzer.screens.keys import KeysScreen, screen_keys

        self.push_screen(KeysScreen(screen_keys(self.screen, self), self.language))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for language in SHOWINGS:
            yield SystemCommand(
                f"Language: {LANGUAGE_NAMES[language]}", "Which text cards show", partial(setattr, self, "language", language)
            )
        yield SystemCommand("Review all decks", "Start a review of everything due", partial(self.start_review, None))
        yield SystemCommand(
            "Custom study…", "More new cards or reviews today, review ahead, forgotten cards, a tag, a search",
            self.action_custom_study,
        )
        yield SystemCommand(
            "Optimize FSRS now", "Refit the scheduler to your reviews in the background; used only if it predicts better",
            self.optimize_now,
        )
        yield SystemCommand("Add a card", "A card of your own, in your deck folder (one language is enough)", self.action_add_card)
        yield SystemCommand("Browse cards", "Search every card, see its state and history, act on many", self.action_show_browser)
        yield SystemCommand("Statistics", "Activity, retention, forecast, mastery, the scheduler's parameters", self.action_show_stats)


def make_app(services: Services, deck: str | None = None, custom: CustomStudy | None = None) -> QuizzerApp:
    """The one factory the CLI and the tests use: the deck tree, or a review of ``deck`` ("": every
    deck) or of the custom session ``custom``."""
    return QuizzerApp(services, deck, custom)
