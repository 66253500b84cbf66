"""Choosing the next card and its four button intervals, on a large generated collection.

Generates 100k cards (in 200 decks) and 1M review-log rows spread over a year in a fresh
SQLite file, then times ``ReviewService.next_card`` (queue queries + FSRS previews of the
four ratings) while answering: the median is the figure (target ≤ 2 ms), with the CPU time
the process spent beside it (the wall time on a loaded machine is mostly waiting). For scale it also
times a plain indexed query for the next 50 due cards in the same run.

    .venv/bin/python benchmarks/review_queue.py [--cards 100000] [--logs 1000000] [--answers 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.storage.models import Card, Item, ReviewLog
from quizzer.vocabulary import Rating

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def generate(services: Services, n_cards: int, n_logs: int, rng: random.Random) -> None:
    decks = [f"bench::topic{d // 20}::part{d}" for d in range(200)]
    items = [
        {"id": f"item-{i}", "kind": "basic", "deck": decks[i % len(decks)], "tags": [], "source": "bench",
         "source_file": "bench.toml", "source_line": i + 1, "position": i, "content_hash": "x",
         "body": {"front": {"zh": f"问题 {i}", "en": f"question {i}"}, "back": {"zh": "答", "en": "answer"}}}
        for i in range(n_cards)
    ]
    cards = []
    for i in range(n_cards):
        state = 0 if i % 5 == 0 else 2  # a fifth still new, the rest in review
        last = NOW - timedelta(days=rng.uniform(1, 60))
        cards.append({
            "id": i + 1, "item_id": f"item-{i}", "ordinal": 0, "position": i, "state": state, "suspended": False, "retired": False,
            "step": None if state else 0, "stability": None if state == 0 else rng.uniform(1, 200),
            "difficulty": None if state == 0 else rng.uniform(1, 10), "last_review": None if state == 0 else last,
            "due": NOW if state == 0 else NOW + timedelta(days=rng.uniform(-30, 200)),
        })
    with services.review.sessions.begin() as session:
        session.execute(insert(Item), items)
        session.execute(insert(Card), cards)
    reviewed = [c for c in cards if c["state"] == 2]
    batch = 100_000
    for start in range(0, n_logs, batch):
        rows = []
        for k in range(start, min(start + batch, n_logs)):
            card = reviewed[k % len(reviewed)]
            at = NOW - timedelta(days=1, seconds=rng.uniform(0, 365 * 86400))
            rows.append({
                "card_id": card["id"], "reviewed_at": at, "rating": rng.choice((1, 3, 3, 3, 4)), "duration_ms": 6000,
                "before_state": 2, "before_due": at, "before_stability": 10.0, "before_difficulty": 5.0,
                "after_state": 2, "after_due": at + timedelta(days=10), "after_stability": 12.0, "after_difficulty": 5.0,
            })
        with services.review.sessions.begin() as session:
            session.execute(insert(ReviewLog), rows)


def median_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.2f} ms, p95 {statistics.quantiles(samples, n=20)[-1] * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    clock = [NOW]
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        services = Services.open(config, clock=lambda: clock[0], tz=timezone.utc)
        started = time.perf_counter()
        generate(services, args.cards, args.logs, rng)
        print(f"generated {args.cards:,} cards and {args.logs:,} review rows in {time.perf_counter() - started:.1f} s")

        next_times, next_cpu, baseline_times = [], [], []
        for _ in range(args.answers):
            t0, cpu0 = time.perf_counter(), time.process_time()
            card = services.review.next_card()
            next_times.append(time.perf_counter() - t0)
            next_cpu.append(time.process_time() - cpu0)
            assert card is not None
            t0 = time.perf_counter()
            with services.review.sessions() as session:
                session.execute(
                    select(Card.id).where(Card.state == 2, Card.due <= clock[0]).order_by(Card.due).limit(50)
                ).all()
            baseline_times.append(time.perf_counter() - t0)
            services.review.answer(card.card_id, Rating(rng.choice((1, 3, 3, 4))), duration_ms=5000)
            clock[0] += timedelta(seconds=8)
        services.close()
    print(f"next card + 4 button intervals:  {median_ms(next_times)}  ({args.answers} answers; target median <= 2 ms)")
    print(f"indexed query, next 50 due ids:  {median_ms(baseline_times)}  (for scale)")
    # The process's own CPU time: on a shared, loaded machine the wall-clock median mostly counts waiting.
    print(f"next card, CPU time of this process: median {statistics.median(next_cpu) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
