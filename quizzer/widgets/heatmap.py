"""A year of reviews as a calendar: one column per week, one row per weekday."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

LEVELS = ("#0e4429", "#006d32", "#26a641", "#39d353")
"""Colours for busier and busier days (quarters of the busiest day's count)."""
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")


def heatmap_text(days: list[tuple[date, int]]) -> Text:
    """Month names over the weeks, then seven rows of cells; ``days`` end today."""
    counts = dict(days)
    first = days[0][0] - timedelta(days=days[0][0].weekday())
    weeks = (days[-1][0] - first).days // 7 + 1
    busiest = max(counts.values(), default=0) or 1
    months = [" "] * weeks
    for week in range(weeks):
        start = first + timedelta(weeks=week)
        if start.day <= 7 and week + 3 <= weeks:
            months[week:week + 3] = list(start.strftime("%b"))
    text = Text("    " + "".join(months) + "\n")
    for weekday in range(7):
        text.append(f"{DAY_LABELS[weekday]:<4}", style="dim")
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            n = counts.get(day)
            if n is None:
                text.append(" ")
            elif n == 0:
                text.append("·", style="dim")
            else:
                text.append("■", style=LEVELS[min(3, (4 * n - 1) // busiest)])
        text.append("\n")
    return text


class Heatmap(Static):
    """Shows ``heatmap_text`` of the days given to ``show``."""

    DEFAULT_CSS = """
    Heatmap {
        height: 8;
        width: auto;
    }
    """

    def show(self, days: list[tuple[date, int]]) -> None:
        self.update(heatmap_text(days) if days else Text("no reviews yet"))
