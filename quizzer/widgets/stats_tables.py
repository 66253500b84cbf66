"""The statistics screen's tables: cards by state, the hardest items, what a retention costs
(``show`` says whether there was a row to show)."""

from __future__ import annotations

from textual.widgets import DataTable

from quizzer.services.simulation import SimulationReport
from quizzer.services.stats import StatsReport
from quizzer.services.stats_text import retention_marks


class MasteryTable(DataTable[str]):
    """Cards by state (new / learning / young / mature) per deck node or per topic (tag)."""

    def show(self, report: StatsReport, topics: bool) -> bool:
        self.clear(columns=True)
        self.add_columns("topic" if topics else "deck", "new", "learn", "young", "mature")
        rows = report.topics if topics else report.decks
        for name, states in rows.items():
            label = name if topics else "  " * name.count("::") + name.rsplit("::", 1)[-1]
            self.add_row(label, *(str(states[s]) for s in ("new", "learning", "young", "mature")), key=name)
        return bool(rows)


class HardestTable(DataTable[str]):
    """The cards forgotten most often after they were learnt; leeches flagged."""

    def show(self, report: StatsReport) -> bool:
        self.clear(columns=True)
        self.add_columns("item", "deck", "lapses", "")
        for item in report.hardest:
            name = item.item_id + (f" c{item.ordinal}" if item.ordinal else "")
            self.add_row(name, item.deck, str(item.lapses), "leech" if item.leech else "", key=str(item.card_id))
        return bool(report.hardest)


class RetentionCostTable(DataTable[str]):
    """Per desired retention: simulated reviews and minutes a day, items remembered at the end."""

    def show(self, report: SimulationReport) -> None:
        self.clear(columns=True)
        self.add_columns("retention", "reviews/day", "minutes/day", f"remembered after {report.days} d", "")
        for row in report.rows:
            self.add_row(
                f"{row.retention:.2f}", f"{row.reviews_per_day:.1f}", f"{row.minutes_per_day:.1f}",
                f"{row.remembered:,.0f}", ", ".join(retention_marks(report, row.retention)), key=f"{row.retention:.2f}",
            )
