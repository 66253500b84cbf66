"""Three simulated study days in the app under QUIZZER_NOW: each day's review queue keeps to the limits.

Review all is studied by keys, as a learner would, and every card the review screen shows is
recorded with its state; each day's showings are checked against the collection's new, review
and new-drill limits and against a deck's cap on its whole subtree, and against the review log.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.kinds.registry import DRILL_KINDS
from quizzer.screens.drill import DrillScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from quizzer.vocabulary import State
from tests.conftest import FIXTURES

DAYS = ("2026-12-01T09:00", "2026-12-02T09:00", "2026-12-03T09:00")
LIMITS = {"new": 4, "reviews": 2, "new_drills": 1}
"""The collection's (Review all's); deck alpha caps its subtree (alpha, alpha::sub) at 2 new a day."""
ALPHA_NEW = 2


def basic_cards(decks: list[str]) -> str:
    """A deck file with one basic card in each of ``decks``, numbered from 1."""
    cards = []
    for n, deck in enumerate(decks, 1):
        name = deck.replace("::", "-")
        cards.append(
            f'[[card]]\nid = "{name}-{n}"\nkind = "basic"\ndeck = "{deck}"\nsource = "test § {n}"\n'
            f'front.zh = "问 {name} {n}"\nfront.en = "Q {name} {n}"\nback.zh = "答 {n}"\nback.en = "A {n}"\n'
        )
    return "\n".join(cards)


def deck_folder(tmp_path: Path) -> Path:
    """Two drills, six cards in alpha's subtree, four in beta; new cards come in this order (the
    files take turns): softmax, beta-1, alpha-1, conv-shape, beta-2, alpha-sub-2, beta-3, alpha-3,
    beta-4, alpha-sub-4, alpha-5, alpha-sub-6."""
    folder = tmp_path / "deck"
    folder.mkdir()
    shutil.copy(FIXTURES / "drill_deck" / "drills.toml", folder / "drills.toml")
    (folder / "alpha.toml").write_text(basic_cards(["alpha", "alpha::sub"] * 3), encoding="utf-8")
    (folder / "beta.toml").write_text(basic_cards(["beta"] * 4), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Shown:
    item_id: str
    deck: str
    kind: str
    state: State


async def study_review_all(app: QuizzerApp) -> list[Shown]:
    """Press ``r`` and answer every card until the day is done: Good (a drill: give up, then
    Good), a learning card again when it comes back. Returns what the review screen showed."""
    shown: list[Shown] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        for _ in range(40):
            await pilot.pause()
            review = next(screen for screen in app.screen_stack if isinstance(screen, ReviewScreen))
            if review.card is None:
                break
            item = review.card.item
            shown.append(Shown(item.id, item.deck, item.kind, review.card.state))
            await pilot.press(*(("ctrl+g", "3") if isinstance(app.screen, DrillScreen) else ("space", "3")))
        else:
            pytest.fail("the day's queue never ended")
    return shown


def check_limits(day: list[Shown]) -> None:
    new = [s for s in day if s.state == State.NEW]
    assert len(new) <= LIMITS["new"]
    assert len([s for s in new if s.kind in DRILL_KINDS]) <= LIMITS["new_drills"]
    assert len([s for s in new if s.deck.startswith("alpha")]) <= ALPHA_NEW
    assert len([s for s in day if s.state == State.REVIEW]) <= LIMITS["reviews"]


async def test_three_days_of_review_all_keep_to_every_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = deck_folder(tmp_path)
    config = Config(db_url=f"sqlite:///{tmp_path / 'days.sqlite3'}", content_dir=folder, scheduling=SchedulingConfig(enable_fuzzing=False))
    days: list[list[Shown]] = []
    for now in DAYS:
        monkeypatch.setenv("QUIZZER_NOW", now)
        services = Services.open(config, tz=UTC)  # the clock: QUIZZER_NOW
        try:
            if now == DAYS[0]:
                services.content.import_path(folder)
                services.settings.set_deck_options("", **LIMITS)
                services.settings.set_deck_options("alpha", new=ALPHA_NEW)
            days.append(await study_review_all(make_app(services)))
        finally:
            services.close()

    for day in days:
        check_limits(day)
    assert [[s.item_id for s in day if s.state == State.NEW] for day in days] == [
        ["drill-softmax", "beta-1", "alpha-1", "beta-2"],  # Review all's 4; conv-shape would be a second new drill
        ["drill-conv-shape", "alpha-sub-2", "beta-3", "alpha-3"],  # Review all's 4
        ["beta-4", "alpha-sub-4", "alpha-5"],  # alpha's subtree is full at 2: alpha-sub-6 waits
    ]
    reviews = [[s.item_id for s in day if s.state == State.REVIEW] for day in days]
    assert reviews[:2] == [[], []] and len(reviews[2]) == 2  # four learned on day 1 are due on day 3
    assert set(reviews[2]) <= {"drill-softmax", "beta-1", "alpha-1", "beta-2"}
    with services.sessions() as session:
        on_day = func.date(ReviewLog.reviewed_at)
        logged = session.execute(
            select(on_day, ReviewLog.before_state, func.count())
            .where(ReviewLog.before_state.in_((State.NEW, State.REVIEW)))
            .group_by(on_day, ReviewLog.before_state).order_by(on_day, ReviewLog.before_state)
        ).all()
    assert [(day, State(state).name, n) for day, state, n in logged] == [
        ("2026-12-01", "NEW", 4), ("2026-12-02", "NEW", 4), ("2026-12-03", "NEW", 3), ("2026-12-03", "REVIEW", 2),
    ]
