"""Fitting FSRS and simulating retentions, at sizes far beyond one learner's.

1. Generates review histories from a learner whose memory follows known FSRS parameters
   (ratings drawn with the probability of recall those parameters give; a forgotten card is
   answered again ten minutes later), then fits them as ``quizzer optimize`` does (fsrs-rs,
   oldest 80 % by time) on 100k and 1M reviews, and py-fsrs's torch Optimizer on the same 100k
   in the same run. Each fit is judged on its held-out newest 20 % (long-term reviews).
   Targets: fsrs-rs ≥ 100× faster than py-fsrs on 100k, with equal or lower log loss.
2. Simulates 365 days of a 10,000-card deck at one desired retention (target < 2 s), and the
   whole retention table ``quizzer simulate`` prints.

    .venv/bin/pip install -e ".[bench]"     # py-fsrs's Optimizer (torch, pandas)
    .venv/bin/python benchmarks/optimize.py [--sizes 100000 1000000] [--py-fsrs 100000]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import fsrs_rs_python as rs

from quizzer.scheduling import optimize, simulate

START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
LEARNER = (
    0.4, 0.9, 3.0, 10.0, 6.4133, 0.8334, 3.0194, 0.001, 1.6, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
    1.8729, 0.5425, 0.0912, 0.0658, 0.25,
)
"""The generated learner's true FSRS parameters (not the defaults)."""
REVIEWS_PER_CARD = 10


def generate(n_reviews: int, seed: int) -> list[optimize.Review]:
    """About ``n_reviews`` reviews of cards introduced over a year, each card followed by
    fsrs-rs's model of ``LEARNER`` (recall drawn from its retrievability)."""
    rng = random.Random(seed)
    model = rs.FSRS(LEARNER)
    reviews: list[optimize.Review] = []
    card = 0
    while len(reviews) < n_reviews:
        card += 1
        at = START + timedelta(days=rng.uniform(0, 365), hours=rng.uniform(0, 12))
        memory = None
        elapsed = 0
        for _ in range(REVIEWS_PER_CARD):
            recalled = memory is None or rng.random() < optimize.recall(LEARNER, memory.stability, elapsed)
            rating = rng.choice((3, 3, 3, 4, 2)) if recalled else 1
            reviews.append(optimize.Review(f"c{card}", at, rating, rng.randint(3000, 20000)))
            states = model.next_states(memory, 0.9, elapsed)
            memory = (states.again, states.hard, states.good, states.easy)[rating - 1].memory
            if rating == 1:  # relearned the same day
                at += timedelta(minutes=10)
                reviews.append(optimize.Review(f"c{card}", at, 3, rng.randint(3000, 20000)))
                memory = model.next_states(memory, 0.9, 0).good.memory
            elapsed = max(1, round(model.next_interval(memory.stability, 0.9, 3) * rng.uniform(0.5, 2.5)))
            at += timedelta(days=elapsed)
    return reviews


def judged(cards: Sequence[optimize.CardHistory], parameters: Sequence[float], since: datetime) -> float:
    return optimize.metrics(optimize.predictions(cards, parameters, since).long_term).log_loss


def fit_fsrs_rs(reviews: Sequence[optimize.Review]) -> tuple[float, float, float]:
    """(seconds to build the items, seconds to fit, held-out log loss), as ``quizzer optimize``."""
    started = time.perf_counter()
    cards = optimize.histories(reviews, UTC, 4)
    since = optimize.split_time(reviews)
    items = optimize.training_items(cards, since)
    prepared = time.perf_counter()
    fitted = optimize.fit(items)
    fitted_at = time.perf_counter()
    assert since is not None
    return prepared - started, fitted_at - prepared, judged(cards, fitted, since)


def fit_py_fsrs(reviews: Sequence[optimize.Review]) -> tuple[float, float]:
    """(seconds, held-out log loss) of py-fsrs's torch Optimizer on the same split."""
    from fsrs import Rating, ReviewLog
    from fsrs.optimizer import Optimizer

    since = optimize.split_time(reviews)
    assert since is not None
    ids: dict[str, int] = {}
    logs = [
        ReviewLog(ids.setdefault(r.card, len(ids) + 1), Rating(r.rating), r.at, r.duration_ms)
        for r in sorted(reviews, key=lambda r: r.at) if r.at < since
    ]
    started = time.perf_counter()
    fitted = Optimizer(logs).compute_optimal_parameters()
    seconds = time.perf_counter() - started
    return seconds, judged(optimize.histories(reviews, UTC, 4), fitted, since)


def simulation(cards: int, days: int) -> None:
    learner = simulate.workload([])
    deck = simulate.Deck(cards, cards // days + 1, 10_000, 36500, 2, 1)
    started = time.perf_counter()
    (row,) = simulate.retention_costs(LEARNER, learner, deck, days, [0.9])
    one = time.perf_counter() - started
    print(f"simulate {days} days of {cards:,} cards at retention 0.90: {one:.2f} s  (target < 2 s; "
          f"{row.reviews_per_day:,.0f} reviews/day, {row.remembered:,.0f} remembered)")
    started = time.perf_counter()
    simulate.retention_costs(LEARNER, learner, deck, days, simulate.RETENTIONS)
    print(f"the whole table, {len(simulate.RETENTIONS)} retentions: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="reviews fitted by fsrs-rs")
    parser.add_argument("--py-fsrs", type=int, default=100_000, help="reviews fitted by py-fsrs's Optimizer (0: skip)")
    args = parser.parse_args()
    rs_seconds: dict[int, tuple[float, float]] = {}
    for size in sorted(set(args.sizes) | ({args.py_fsrs} - {0})):
        started = time.perf_counter()
        reviews = generate(size, seed=size)
        print(f"generated {len(reviews):,} reviews of {len({r.card for r in reviews}):,} cards "
              f"in {time.perf_counter() - started:.1f} s")
        prepare, fit, loss = fit_fsrs_rs(reviews)
        rs_seconds[size] = (fit, loss)
        print(f"  fsrs-rs on {len(reviews):,}: fit {fit:.2f} s (+ {prepare:.2f} s building items), "
              f"held-out log loss {loss:.4f}")
        if size == args.py_fsrs:
            seconds, py_loss = fit_py_fsrs(reviews)
            print(f"  py-fsrs Optimizer on {len(reviews):,}: fit {seconds:.1f} s, held-out log loss {py_loss:.4f}")
            print(f"  fsrs-rs is {seconds / fit:.0f}× faster (target ≥ 100×), log loss {loss - py_loss:+.4f} "
                  f"(target ≤ 0)")
    simulation(10_000, 365)


if __name__ == "__main__":
    main()
