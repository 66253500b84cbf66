"""Statistics on a large generated history, and fitting FSRS to a long one.

1. Generates 100k cards (in 200 decks, 2 % of them drills with graded attempts) and 1M
   review-log rows spread over a year in a fresh SQLite file, then times
   ``StatsService.report`` — every figure the statistics screen shows — for all decks
   (target ≤ 1 s in total) and for one top-level deck. Median of a few runs.
2. Generates 100k reviews from a learner whose memory follows known FSRS parameters,
   imports them, and times ``quizzer optimize`` (``HistoryService.optimize``) on them.

    .venv/bin/python benchmarks/stats.py [--cards 100000] [--logs 1000000] [--runs 5] [--optimize-reviews 100000]
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

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from sqlalchemy import insert

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.storage.models import Card, DrillAttempt, Item, ReviewLog

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
LEARNER = (
    0.4, 0.9, 3.0, 10.0, 6.4133, 0.8334, 3.0194, 0.001, 1.6, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
    1.8729, 0.5425, 0.0912, 0.0658, 0.25,
)
"""The generated learner's true FSRS parameters (not the defaults)."""


def generate_collection(services: Services, n_cards: int, n_logs: int, rng: random.Random) -> None:
    decks = [f"bench{d // 100}::topic{d // 20}::part{d}" for d in range(200)]
    items, cards = [], []
    for i in range(n_cards):
        kind = "write" if i % 50 == 0 else "basic"
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
    drills = [c["id"] for c, item in zip(cards, items) if item["kind"] == "write" and c["state"] != 0]
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


def learner_history(path: Path, n_reviews: int, rng: random.Random) -> None:
    """A CSV history whose recalls follow ``LEARNER``, reviewed near the intervals it would need."""
    truth = Scheduler(parameters=LEARNER, enable_fuzzing=False)
    lines = ["card_id,review_time,review_rating,review_duration"]
    card_id = 0
    while len(lines) <= n_reviews:
        card_id += 1
        at = NOW - timedelta(days=400 - rng.uniform(0, 200))
        card = FsrsCard(card_id=card_id, due=at)
        for _ in range(rng.randint(3, 15)):
            recalled = card.last_review is None or rng.random() < truth.get_card_retrievability(card, at)
            rating = rng.choice((3, 3, 3, 4, 2)) if recalled else 1
            lines.append(f"{card_id},{at.isoformat()},{rating},{rng.randint(3000, 15000)}")
            card, _ = truth.review_card(card, Rating(rating), at)
            days = min(365.0, max(1.0, (card.stability or 1.0) * rng.uniform(0.3, 3)))
            at += timedelta(days=days, minutes=rng.uniform(0, 600))
    path.write_text("\n".join(lines[: n_reviews + 1]) + "\n")


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
    parser.add_argument("--optimize-reviews", type=int, default=100_000, help="0 skips the optimizer")
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

        if args.optimize_reviews:
            services = Services.open(Config(db_url=f"sqlite:///{Path(tmp) / 'fit.sqlite3'}"), clock=lambda: NOW, tz=timezone.utc)
            history = Path(tmp) / "history.csv"
            learner_history(history, args.optimize_reviews, rng)
            services.history.import_csv(history)
            started = time.perf_counter()
            fit = services.history.optimize()
            total = time.perf_counter() - started
            print(f"quizzer optimize on {args.optimize_reviews:,} reviews: {total:.1f} s in all, fit {fit.fit_seconds:.1f} s")
            for name, m in fit.rows.items():
                print(f"  {name:16} log loss {m.log_loss:.4f}  RMSE (bins) {m.rmse_bins:.4f}  AUC {m.auc or 0.5:.4f}")
            print(f"  applied: {fit.applied}; desired retention with least work: {fit.optimal_retention}")
            services.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
