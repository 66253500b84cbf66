"""Filter-as-you-type in the card browser at 10,000 cards (target: under 50 ms a keystroke).

Imports the bundled deck copied over and over (new ids, the decks, tags and texts of real
items) until it holds ``--cards`` cards, answers a share of them, then types searches one
letter at a time into a mounted browser screen and times each refill: the search run on the
database plus the table's rows replaced. For scale it also times the search alone, and the
count the browser makes once typing pauses. The last search is found nowhere: every prefix
past "xy" is looked up, or scanned, to the end.

    .venv/bin/python benchmarks/browser.py [--cards 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating
from sqlalchemy import func, select

from quizzer.app import make_app
from quizzer.config import BUNDLED_CONTENT_DIR, Config
from quizzer.corpus.format import ItemSpec, load_content
from quizzer.corpus.importer import import_items
from quizzer.errors import QueryError
from quizzer.screens.browser import COUNTED, PAGE, BrowserScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
QUERIES = ("gradient", "梯度", "deck:pytorch is:review", "tag:attention -is:new", "prop:lapses>1 or is:suspended", "xyzzy")


def collection(n_cards: int) -> list[ItemSpec]:
    """Copies of the bundled items (ids suffixed) until they make ``n_cards`` cards."""
    bundled, specs, cards, copy = load_content(BUNDLED_CONTENT_DIR), [], 0, 0
    while cards < n_cards:
        for spec in bundled:
            specs.append(replace(spec, id=f"{spec.id}-{copy}"))
            cards += len(spec.ordinals)
        copy += 1
    return specs


def answer_some(services: Services, rng: random.Random) -> None:
    """Half the cards answered a few times, over the last months (for states, lapses and intervals)."""
    with services.review.sessions() as session:
        card_ids = list(session.scalars(select(Card.id)))
    clock = services.review.clock
    for card_id in rng.sample(card_ids, len(card_ids) // 2):
        services.review.clock = lambda: NOW - timedelta(days=rng.uniform(1, 90))
        services.review.answer(card_id, rng.choice((Rating.Again, Rating.Good, Rating.Good, Rating.Easy)))
    services.review.clock = clock


def prefixes(query: str) -> list[str]:
    return [query[:n] for n in range(1, len(query) + 1)]


async def type_searches(services: Services) -> tuple[list[float], list[float], list[float], list[float], int, list[str]]:
    typed_all: list[str] = []
    refills: list[float] = []
    searches: list[float] = []
    counts: list[float] = []
    floors: list[float] = []
    app = make_app(services)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("B")
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        for query in QUERIES:
            for typed in prefixes(query):
                screen.query_text = typed
                started = time.perf_counter()
                screen.refill(keep_shown=False)
                refills.append(time.perf_counter() - started)
                typed_all.append(typed)
                started = time.perf_counter()
                with contextlib.suppress(QueryError):  # a half-typed field ("deck:") is refused, as in the app
                    services.collection.search(typed, "both", limit=PAGE, count=False)
                searches.append(time.perf_counter() - started)
                started = time.perf_counter()
                with contextlib.suppress(QueryError):
                    services.collection.count(typed, COUNTED)
                counts.append(time.perf_counter() - started)
                await pilot.pause()
        total = services.collection.search("").total
        for _ in range(len(refills)):
            started = time.perf_counter()
            with services.review.sessions() as session:
                session.execute(select(func.count()).select_from(Card).join(Card.item)).scalar()
            floors.append(time.perf_counter() - started)
    return refills, searches, counts, floors, total, typed_all


def figures(samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"median {statistics.median(samples) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.open(Config(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"), clock=lambda: NOW, tz=UTC)
        started = time.perf_counter()
        with services.review.sessions.begin() as session:
            import_items(session, collection(args.cards), NOW)
        answer_some(services, random.Random(7))
        print(f"generated {args.cards:,}+ cards, half of them answered, in {time.perf_counter() - started:.1f} s")
        refills, searches, counts, floors, total, typed = asyncio.run(type_searches(services))
        services.close()
    print(f"{total:,} cards; {len(refills)} keystrokes over {len(QUERIES)} searches typed letter by letter")
    print(f"keystroke -> table refilled (search + rows): {figures(refills)}  (target <= 50 ms)")
    print(f"search alone (first {PAGE} rows):                 {figures(searches)}")
    slowest = sorted(zip(refills, typed, strict=True), reverse=True)[:4]
    print("slowest keystrokes:", ", ".join(f"{query!r} {seconds * 1000:.1f} ms" for seconds, query in slowest))
    print(f"count once typing pauses (up to {COUNTED:,}):      {figures(counts)}")
    print(f"floor: count of cards joined to items:       {figures(floors)}  (this machine's speed, for scale)")


if __name__ == "__main__":
    main()
