"""The statistics screen's tables: cards by state, the hardest items."""

from __future__ import annotations

from textual.widgets import DataTable

from quizzer.services.stats import StatsReport


class MasteryTable(DataTable[str]):
    """Cards by state (new / learning / young / mature) per deck node or per topic (tag)."""

    def show(self, report: StatsReport, topics: bool) -> None:
        self.clear(columns=True)
        self.add_columns("topic" if topics else "deck", "new", "learn", "young", "mature")
        rows = report.topics if topics else report.decks
        for name, states in rows.items():
            label = name if topics else "  " * name.count("::") + name.rsplit("::", 1)[-1]
            self.add_row(label, *(str(states[s]) for s in ("new", "learning", "young", "mature")), key=name)


class HardestTable(DataTable[str]):
    """The cards forgotten most often after they were learnt; leeches flagged."""

    def show(self, report: StatsReport) -> None:
        self.clear(columns=True)
        self.add_columns("item", "deck", "lapses", "")
        for item in report.hardest:
            name = item.item_id + (f" c{item.ordinal}" if item.ordinal else "")
            self.add_row(name, item.deck, str(item.lapses), "leech" if item.leech else "", key=str(item.card_id))
