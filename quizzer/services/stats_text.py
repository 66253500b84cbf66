"""Plain-text forms of the statistics and of an optimizer run, for the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizzer.services.optimizer import APPLIED, KEPT, OptimizerRun

if TYPE_CHECKING:  # the app shows optimizer_line at start; the reports' modules load when used
    from quizzer.scheduling.optimize import Metrics
    from quizzer.services.history import OptimizeReport
    from quizzer.services.simulation import SimulationReport
    from quizzer.services.stats import StatsReport

SPANS = (30, 90, 365)


NO_DATA = "no data yet"
"""Said where a figure has nothing to be computed from, rather than leaving it blank."""


def _percent(share: float | None) -> str:
    return NO_DATA if share is None else f"{share:.0%}"


def parameters_line(report: StatsReport) -> str:
    if report.fitted is None:
        return "Scheduler: FSRS default parameters (not fitted yet: `quizzer optimize`)"
    fitted = report.fitted
    return (
        f"Scheduler: parameters fitted {fitted.fitted_at:%Y-%m-%d %H:%M} UTC on {fitted.reviews:,} reviews "
        f"(held-out log loss {fitted.log_loss:.4f})"
    )


def optimizer_line(run: OptimizerRun | None, running: bool = False) -> str:
    """When the parameters were last refitted in the background, and with what result."""
    if running:
        return "Background fit: running now."
    if run is None:
        return "Background fit: none yet (after every 1,000 new reviews, or *Optimize FSRS now* in the palette)."
    head = f"Background fit {run.started_at:%Y-%m-%d %H:%M} UTC ({run.trigger}): "
    if run.outcome == APPLIED:
        return head + f"applied, held-out log loss {run.fitted_log_loss:.4f} against {run.current_log_loss:.4f} before."
    if run.outcome == KEPT:
        return head + (f"kept the parameters in use (held-out log loss {run.current_log_loss:.4f}; "
                       f"the fit's {run.fitted_log_loss:.4f} is no better).")
    return head + f"failed: {run.error}"


def stats_lines(report: StatsReport) -> list[str]:
    """The figures of ``quizzer stats`` without ``--json``."""
    lines = [
        f"Statistics for {report.deck or 'all decks'} on {report.today}: {report.sources['own_reviews']:,} own reviews"
        + (f", {report.sources['imported_reviews']:,} imported" if report.imported_included else ""),
        f"Streak: {report.current_streak} day{'s' if report.current_streak != 1 else ''} (longest {report.longest_streak})",
    ]
    for span in SPANS:
        days = [a for _, a in report.last_days(span)]
        lines.append(
            f"Last {span:>3} days: {sum(a.cards for a in days):>6,} cards {sum(a.drills for a in days):>5,} drills "
            f"{sum(a.imported for a in days):>6,} imported · {sum(a.cards_ms + a.drills_ms + a.imported_ms for a in days) / 60000:,.0f} min"
        )
    lines.append(
        f"True retention: this week {_percent(report.weeks[-1].retention)}, this month {_percent(report.months[-1].retention)}"
        f" (desired {report.desired_retention:.0%})"
    )
    lines.append("Calibration (predicted → actual, reviews): " + (", ".join(
        f"{b.low:.2f}–{b.high:.2f} {b.predicted:.2f}→{b.actual:.2f} ({b.reviews})"
        for b in report.calibration if b.reviews and b.predicted is not None and b.actual is not None
    ) or NO_DATA))
    lines.append("Due next 7 days: " + " ".join(str(n) for _, n in report.forecast[:7])
                 + f" · 30 days: {sum(n for _, n in report.forecast)}")
    lines.append(f"{'deck':40} {'new':>6} {'learn':>6} {'young':>6} {'mature':>6}")
    for deck, states in report.decks.items():
        lines.append(f"{deck:40} {states['new']:>6} {states['learning']:>6} {states['young']:>6} {states['mature']:>6}")
    lines.append(f"Hardest ({report.leeches} leeches): " + (", ".join(
        f"{h.item_id} ({h.lapses} lapses{', leech' if h.leech else ''})" for h in report.hardest
    ) or "none"))
    tries = [(month, t) for month, t in report.first_tries if t.tries]
    lines.append("Drills passed at the first try: " + (", ".join(
        f"{month:%Y-%m} {t.passed}/{t.tries}" for month, t in tries
    ) or "no drills tried"))
    lines.append(parameters_line(report))
    lines.append(optimizer_line(report.optimizer_run))
    return lines


def _metrics_lines(rows: dict[str, Metrics]) -> list[str]:
    lines = [f"{'parameters':22} {'log loss':>9} {'RMSE (bins)':>12} {'AUC':>7}"]
    for name, m in rows.items():
        auc = "–" if m.auc is None else f"{m.auc:.4f}"
        lines.append(f"{name:22} {m.log_loss:>9.4f} {m.rmse_bins:>12.4f} {auc:>7}")
    return lines


def optimize_lines(report: OptimizeReport) -> list[str]:
    """The comparison tables of ``quizzer optimize``: long-term reviews, then same-day ones."""
    lines = [
        (f"Fitted on the oldest {report.train_reviews:,} reviews ({report.fit_seconds:.2f} s); judged on the newest "
         f"{report.test_reviews:,}."),
        f"Reviews a day or more after the card's previous one ({report.rows['FSRS default'].reviews:,}):",
        *_metrics_lines(report.rows),
    ]
    if report.same_day:
        lines += [
            f"Same-day reviews, under a day after the card's previous one ({report.same_day['FSRS default'].reviews:,}):",
            *_metrics_lines(report.same_day),
        ]
    if report.applied:
        lines.append("Applied: the fitted parameters schedule from now on.")
    else:
        reason = "evaluation only" if report.better else f"no better than the {report.current} parameters"
        lines.append(f"Not applied: {reason}.")
    return lines


def simulate_lines(report: SimulationReport) -> list[str]:
    """The table of ``quizzer simulate``: one row per desired retention, the optimum marked."""
    deck = report.deck
    lines = [
        (f"{report.days} days of a {deck.cards:,}-card collection ({deck.new_per_day} new a day), "
         f"answered at your pace, with {'your fitted' if report.fitted else 'FSRS default'} parameters:"),
        f"{'retention':>9} {'reviews/day':>12} {'minutes/day':>12} {'remembered':>11}",
    ]
    for row in report.rows:
        marks = ", ".join(retention_marks(report, row.retention))
        lines.append(
            f"{row.retention:>9.2f} {row.reviews_per_day:>12.1f} {row.minutes_per_day:>12.1f} {row.remembered:>11,.0f}"
            + (f"  ← {marks}" if marks else "")
        )
    lines.append(f"Optimal: desired retention {report.optimal_retention:.2f} costs the least time per item remembered.")
    return lines


def retention_marks(report: SimulationReport, retention: float) -> list[str]:
    """``optimal`` and ``in use`` for the rows of the retentions they are (to 0.01)."""
    return [name for name, value in (("optimal", report.optimal_retention), ("in use", report.desired_retention))
            if abs(retention - value) < 0.005]
