"""Statistics on a large generated history.

Generates 100k cards (in 200 decks, 2 % of them drills with graded attempts) and 1M
review-log rows spread over a year in a fresh SQLite file, then times
``StatsService.report`` — every figure the statistics screen shows — for all decks
(target ≤ 1 s in total) and for one top-level deck. Median of a few runs.
Fitting FSRS is timed by benchmarks/optimize.py.

    .venv/bin/python benchmarks/stats.py [--cards 100000] [--logs 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.storage.models import Card, DrillAttempt, Item, ReviewLog

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


DRILL_EVERY = 50
"""Every 50th generated item is a write drill, the rest basic cards."""


def generate_collection(services: Services, n_cards: int, n_logs: int, rng: random.Random) -> None:
    decks = [f"bench{d // 100}::topic{d // 20}::part{d}" for d in range(200)]
    items, cards = [], []
    for i in range(n_cards):
        kind = "write" if i % DRILL_EVERY == 0 else "basic"
        items.append({
            "id": f"item-{i}", "kind": kind, "deck": decks[i % len(decks)], "tags": [f"tag{i % 37}"], "source": "bench",
            "source_file": "bench.toml", "source_line": i + 1, "position": i, "content_hash": "x", "body": {},
        })
        state = (0, 2, 2, 2, 1, 3)[i % 6]
        cards.append({
            "id": i + 1, "item_id": f"item-{i}", "ordinal": 0, "position": i, "state": state, "suspended": False,
            "retired": False, "step": 0 if state in (1, 3) else None, "stability": None if state == 0 else rng.uniform(0.5, 200),
            "difficulty": None if state == 0 else rng.uniform(1, 10),
            "last_review": None if state == 0 else NOW - timedelta(days=rng.uniform(1, 60)),
            "due": NOW + timedelta(days=rng.uniform(-5, 60)),
        })
    with services.review.sessions.begin() as session:
        session.execute(insert(Item), items)
        session.execute(insert(Card), cards)
    reviewed = [c["id"] for c in cards if c["state"] != 0]
    drills = [c["id"] for c in cards[::DRILL_EVERY] if c["state"] != 0]
    batch = 100_000
    for start in range(0, n_logs, batch):
        rows = []
        for _ in range(start, min(start + batch, n_logs)):
            at = NOW - timedelta(seconds=rng.uniform(0, 365 * 86400))
            state = rng.choice((2, 2, 2, 2, 0, 1, 3))
            rows.append({
                "card_id": rng.choice(reviewed), "reviewed_at": at, "rating": rng.choice((1, 3, 3, 3, 3, 4, 2)),
                "duration_ms": rng.randint(2000, 20000), "before_state": state, "before_due": at,
                "before_stability": 10.0 if state else None, "before_difficulty": 5.0 if state else None,
                "before_last_review": at - timedelta(days=3) if state else None,
                "before_retrievability": rng.uniform(0.55, 1.0) if state == 2 else None,
                "after_state": 2, "after_due": at + timedelta(days=10), "after_stability": 12.0, "after_difficulty": 5.0,
            })
        with services.review.sessions.begin() as session:
            session.execute(insert(ReviewLog), rows)
    attempts = [
        {"card_id": rng.choice(drills), "attempted_at": NOW - timedelta(seconds=rng.uniform(0, 365 * 86400)), "seed": 0,
         "submission": "", "passed": rng.random() < 0.6, "hints_shown": rng.choice((0, 0, 1)), "result": {}}
        for _ in range(n_logs // 100)
    ]
    with services.review.sessions.begin() as session:
        session.execute(insert(DrillAttempt), attempts)


def timed_reports(services: Services, deck: str | None, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        services.stats.report(deck)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.open(Config(db_url=f"sqlite:///{Path(tmp) / 'stats.sqlite3'}"), clock=lambda: NOW, tz=timezone.utc)
        started = time.perf_counter()
        generate_collection(services, args.cards, args.logs, rng)
        print(f"generated {args.cards:,} cards and {args.logs:,} review rows in {time.perf_counter() - started:.1f} s")
        report = services.stats.report()
        print(f"  ({report.sources['own_reviews']:,} reviews counted; streak {report.current_streak}, "
              f"{len(report.decks)} deck nodes, {sum(n for _, n in report.forecast):,} due in 30 days)")
        for deck, label in ((None, "all decks"), ("bench0", "deck bench0 (half)")):
            times = timed_reports(services, deck, args.runs)
            print(f"every stats figure, {label:18}: median {statistics.median(times) * 1000:6.0f} ms, "
                  f"max {max(times) * 1000:6.0f} ms  ({args.runs} runs; target <= 1000 ms)")
        services.close()

    sys.stdout.flush()


if __name__ == "__main__":
    main()
