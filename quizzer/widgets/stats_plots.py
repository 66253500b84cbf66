"""The statistics screen's plots, drawn in the terminal by plotext; each shows one figure of a
report, and ``show`` says whether it had anything to draw (the screen says "no data yet" if not)."""

from __future__ import annotations

from typing import Any

from textual_plotext import PlotextPlot

from quizzer.services.stats import Period, StatsReport


def _percent(periods: list[Period]) -> tuple[list[int], list[float]]:
    points = [(k, p.retention * 100) for k, p in enumerate(periods) if p.retention is not None]
    return [k for k, _ in points], [r for _, r in points]


class DailyPlot(PlotextPlot):
    """Reviews per day split by cards, drills and imported history, over the last ``span`` days."""

    def show(self, report: StatsReport, span: int) -> bool:
        days = report.last_days(span)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [d.strftime("%m-%d") for d, _ in days]
        series = [[a.cards for _, a in days], [a.drills for _, a in days], [a.imported for _, a in days]]
        minutes = sum(a.cards_ms + a.drills_ms + a.imported_ms for _, a in days) / 60000
        # plotext takes ``labels``; textual-plotext's stub names the parameter ``label``.
        legend: dict[str, Any] = {"labels": ["cards", "drills", "imported"]}
        plt.stacked_bar(list(range(len(days))), series, width=1, **legend)
        ticks = range(0, len(labels), max(1, len(labels) // 6))
        plt.xticks([float(k) for k in ticks], [labels[k] for k in ticks])
        plt.title(f"Reviews per day, last {span} days: {sum(map(sum, series))} in {minutes:.0f} min")
        self.refresh()
        return sum(map(sum, series)) > 0


class RetentionPlot(PlotextPlot):
    """True retention per week or month against the desired retention."""

    def show(self, report: StatsReport, monthly: bool) -> bool:
        periods = report.months if monthly else report.weeks
        xs, ys = _percent(periods)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.hline(report.desired_retention * 100, "red")
        if xs:
            plt.plot(xs, ys, marker="braille", label="remembered")
        plt.xlim(0, len(periods) - 1)
        plt.ylim(50, 100)
        plt.xticks([0, len(periods) - 1], [periods[0].start.isoformat(), periods[-1].start.isoformat()])
        which = "month" if monthly else "week"
        plt.title(f"Remembered per {which} %, goal {report.desired_retention:.0%}")
        self.refresh()
        return bool(xs)


class CalibrationPlot(PlotextPlot):
    """Mean predicted recall against the recall rate, per bin of the prediction."""

    def show(self, report: StatsReport) -> bool:
        filled = [b for b in report.calibration if b.reviews and b.predicted is not None and b.actual is not None]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot([0.5, 1.0], [0.5, 1.0], color="gray")
        if filled:
            plt.scatter([b.predicted for b in filled], [b.actual for b in filled], marker="●", label="actual")
        plt.xlim(0.5, 1.0)
        plt.ylim(0.5, 1.0)
        plt.title(f"Predicted vs actual ({sum(b.reviews for b in filled)})")
        self.refresh()
        return bool(filled)


class ForecastPlot(PlotextPlot):
    """Cards coming due on each of the next 30 days."""

    def show(self, report: StatsReport) -> bool:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [d.strftime("%m-%d") for d, _ in report.forecast]
        plt.bar(list(range(len(labels))), [n for _, n in report.forecast], width=1)
        plt.xticks(list(range(0, len(labels), 5)), labels[::5])
        plt.title(f"Due per day, next 30 days: {sum(n for _, n in report.forecast)} (today {report.forecast[0][1]})")
        self.refresh()
        return any(n for _, n in report.forecast)


class FirstTryPlot(PlotextPlot):
    """Share of drill sessions passed at the first attempt without hints, per month."""

    def show(self, report: StatsReport) -> bool:
        tried = [(m, t) for m, t in report.first_tries if t.tries]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if tried:
            plt.bar(list(range(len(tried))), [100 * t.passed / t.tries for _, t in tried], width=0.5)
            plt.xticks(list(range(len(tried))), [m.strftime("%Y-%m") for m, _ in tried])
            plt.ylim(0, 100)
        total = sum(t.tries for _, t in tried)
        plt.title(f"Drills passed at the first try (%): {sum(t.passed for _, t in tried)}/{total}")
        self.refresh()
        return bool(tried)
