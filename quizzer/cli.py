"""Command line: parse, call a service, print, exit (0 ok, 1 check/grade failed, 2 error).

The bare ``quizzer`` command starts the TUI; the subcommands are for scripts and tests.
Each subcommand is declared once, by the ``@command`` decorator on its handler: its
arguments, whether it opens the database, whether it first brings the database up to date
with the deck folder, and whether it takes ``--json``. Textual is imported only for the TUI,
torch never.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizzer.clock import utc_now
from quizzer.config import Config, data_dir, default_content_dir, default_db_url
from quizzer.corpus.format import load_content
from quizzer.corpus.lints import lint
from quizzer.errors import ContentError, NothingToStudy, QuizzerError, UsageError
from quizzer.grading.client import GradingClient
from quizzer.kinds.drill import first_failure
from quizzer.kinds.registry import DRILL_KINDS, KINDS
from quizzer.scheduling.custom import SESSION_LIMIT, CustomStudy
from quizzer.scheduling.queue import in_scope
from quizzer.services import doctor
from quizzer.services.card_info import info_lines
from quizzer.services.container import Services
from quizzer.services.drills import prove_drills
from quizzer.services.feedback import format_result
from quizzer.services.own_cards import OwnCard, deck_file
from quizzer.services.settings import OPTION_COLUMNS
from quizzer.services.stats_text import optimize_lines, simulate_lines, stats_lines
from quizzer.storage import backup
from quizzer.vocabulary import SHOWINGS


@dataclass(frozen=True)
class Arg:
    """One ``add_argument`` call, kept for when the parser is built."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    """Declare an argument with ``argparse.ArgumentParser.add_argument``'s own signature."""
    return Arg(flags, options)


@dataclass
class Run:
    """What a handler works with: its parsed arguments and, if it declared so, the open services."""

    args: argparse.Namespace
    opened: Services | None = None

    @property
    def services(self) -> Services:
        if self.opened is None:
            raise RuntimeError("this command was declared with needs_db=False")
        return self.opened

    def emit(self, data: object, text: str) -> None:
        """Print ``data`` as JSON when ``--json`` was given, else the human-readable ``text``."""
        print(json.dumps(data, ensure_ascii=False, indent=2) if getattr(self.args, "json", False) else text)


Handler = Callable[[Run], int]


@dataclass(frozen=True)
class Command:
    """Everything about one subcommand; ``COMMANDS`` holds them by name."""

    name: str
    help: str
    handler: Handler
    arguments: tuple[Arg, ...] = ()
    needs_db: bool = True
    """Open the database (and migrate it) before the handler runs."""
    syncs_deck: bool = True
    """First bring the database up to date with the deck folder, so scripts see what the app shows."""
    json: bool = False
    """Take ``--json``; the handler prints through ``Run.emit``."""


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *arguments: Arg, needs_db: bool = True, syncs_deck: bool = True, json: bool = False
) -> Callable[[Handler], Handler]:
    """Register the decorated handler as ``quizzer NAME``: adding a command is this one declaration."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, handler, arguments, needs_db, syncs_deck, json)
        return handler

    return register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizzer",
        description="Spaced-repetition review of deep-learning notes.",
        epilog=f"data folder: {data_dir()}\n  (QUIZZER_HOME moves it) holds the log file and your own decks in decks/",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # a path is not wrapped at its hyphens
    )
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: $QUIZZER_DB or db/quizzer.sqlite3)")
    parser.add_argument("--deck", help="start reviewing this deck (e.g. pytorch::autograd) instead of the home screen")
    parser.add_argument("--lang", choices=SHOWINGS, help="which language cards show (saved as the new default)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for spec in COMMANDS.values():
        subparser = sub.add_parser(spec.name, help=spec.help)
        for argument in spec.arguments:
            subparser.add_argument(*argument.flags, **argument.options)
        if spec.json:
            subparser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


@command(
    "import",
    "import deck files, an Anki package (.apkg, .colpkg) or a CSV of cards (.csv, .tsv) into the database",
    arg("path", nargs="?", type=Path, default=default_content_dir()),
    syncs_deck=False,
)
def _cmd_import(run: Run) -> int:
    path, services = run.args.path, run.services
    suffix = path.suffix.lower()
    if suffix in (".apkg", ".colpkg"):
        from quizzer.interop.anki_import import AnkiImporter  # only for a package: zstandard, markdownify

        report = AnkiImporter(services.content, services.review, services.folders.own).import_package(path, prove=prove_drills)
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"imported {path}: {report.summary()}")
    elif suffix in (".csv", ".tsv"):
        from quizzer.interop.csv_import import import_csv

        print(f"imported {path}: {import_csv(services.content, services.folders.own, path, prove=prove_drills).summary()}")
    elif not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    else:
        summary = services.content.import_path(path, prove=prove_drills).summary()  # what check rejects never imports
        print(f"imported {path}: {summary}")
    return 0


@command(
    "check",
    "validate deck files (exit 0 only if all are valid)",
    arg("path", nargs="?", type=Path, default=default_content_dir()),
    arg("--strict", action="store_true", help="treat warnings (giveaways, duplicates, ...) as errors"),
    needs_db=False,
)
def _cmd_check(run: Run) -> int:
    path: Path = run.args.path
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    try:
        items = load_content(path)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    kinds = Counter(item.kind for item in items)
    cards = sum(len(item.ordinals) for item in items)
    print(f"{len(items)} items ({cards} cards) valid: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    for deck, n in sorted(Counter(item.deck for item in items).items()):
        print(f"  {deck:40} {n:>4}")
    warnings = lint(items)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} warning(s){' (--strict: errors)' if run.args.strict else ''}", file=sys.stderr)
    drills = [item for item in items if item.kind in DRILL_KINDS]
    problems = prove_drills(drills) if drills else []
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) with drills", file=sys.stderr)
        return 1
    if drills:
        print(f"{len(drills)} drills graded: every reference passes, every starter fails")
    return 1 if warnings and run.args.strict else 0


@command(
    "due", "what is due today, per deck, and in all",
    arg("--deck", dest="due_deck", metavar="DECK", help="only this deck and its subdecks"), json=True,
)
def _cmd_due(run: Run) -> int:
    deck = run.args.due_deck
    if deck and not run.services.content.has_deck(deck):
        raise UsageError(f"no deck {deck!r} (see `quizzer due`)")
    overview = run.services.review.overview()
    decks = {path: vars(counts) for path, counts in sorted(overview.decks.items()) if in_scope(path, deck)}
    total = vars(overview.decks[deck] if deck else overview.total)  # what studying it gives, limits applied
    lines = [f"{'deck':40} {'new':>5} {'learn':>5} {'due':>5}"]
    for path, counts in [*decks.items(), ("total", total)]:
        indent = "  " * path.count("::")
        lines.append(f"{indent + path.rsplit('::', 1)[-1]:40} {counts['new']:>5} {counts['learning']:>5} {counts['due']:>5}")
    run.emit({"decks": decks, "total": total, "reviewed_today": overview.reviewed_today}, "\n".join(lines))
    return 0


@command("list", "every item with its id, deck and kind", json=True)
def _cmd_list(run: Run) -> int:
    items = run.services.content.items()
    run.emit(
        [{"id": i.id, "deck": i.deck, "kind": i.kind, "tags": i.tags} for i in items],
        "\n".join(f"{i.id:44} {i.kind:8} {i.deck}" for i in items),
    )
    return 0


@command(
    "grade",
    "grade drill answers with one grading service (exit 0 if all pass, 1 if any fails)",
    arg("drill_id"),
    arg("files", nargs="+", type=Path, metavar="FILE",
        help="code (write drills) or an answer (predict drills); - reads stdin; several: one result per line"),
    arg("--seed", type=int, default=0, help="which instance of a parametrised drill (default 0)"),
    json=True,
)
def _cmd_grade(run: Run) -> int:
    files: list[Path] = run.args.files
    submissions = [_read_submission(file) for file in files]  # an unreadable file grades nothing
    results = run.services.drills.grade_submissions(run.args.drill_id, submissions, seed=run.args.seed)
    if len(files) == 1:
        result = next(results)
        if isinstance(result, QuizzerError):
            raise result
        run.emit(result.to_dict(), format_result(result, run.services.settings.language()))
        return 0 if result.passed else 1
    all_passed = True
    for file, result in zip(files, results, strict=True):
        if isinstance(result, QuizzerError):
            all_passed = False
            failed = {"file": str(file), "error": result.message}
            print(json.dumps(failed, ensure_ascii=False) if run.args.json else f"{file}: ERROR {result.message}", flush=True)
            continue
        all_passed &= result.passed
        verdict = "PASS" if result.passed else "FAIL " + first_failure(result).splitlines()[0]
        print(json.dumps({"file": str(file), **result.to_dict()}, ensure_ascii=False) if run.args.json else f"{file}: {verdict}", flush=True)
    return 0 if all_passed else 1


def _read_submission(file: Path) -> str:
    try:
        return sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {file}: not UTF-8 text (byte {exc.start})") from exc


ANSWER_RULE = "─" * 40
"""Between the front and the answer in ``quizzer show``, as a card's back is below its front."""


def _in_each_language(text: dict[str, str]) -> list[str]:
    """``[zh] …`` and ``[en] …``; a card in one language (from a note, or typed once) just once."""
    return [f"\n{text['en']}"] if text["zh"] == text["en"] else [f"\n[{lang}] {text[lang]}" for lang in ("zh", "en")]


@command("show", "one item as the learner sees it, then its answer", arg("id"), arg("--front", action="store_true", help="the front only"), json=True)
def _cmd_show(run: Run) -> int:
    view = run.services.content.show(run.args.id)
    lines = [f"{view.id}  ({view.kind}, {view.deck})  source: {view.source}"]
    lines += _in_each_language(view.prompt)
    lines += [f"\n{block}" for block in KINDS[view.kind].show_lines(view.face)]
    if not run.args.front:
        lines += [f"\n{ANSWER_RULE}", *_in_each_language(view.answer)]
    run.emit(view.to_dict(), "\n".join(lines))
    return 0


@command(
    "search",
    "cards matching a search (the browser's syntax: deck: tag: kind: id: is: flag: prop: rated: - or)",
    arg("query", help='e.g. \'deck:d2l::cnn is:due -tag:autograd\' or \'"exact phrase"\''),
    arg("--limit", type=int, default=1000, help="at most this many rows (default 1000)"),
    json=True,
)
def _cmd_search(run: Run) -> int:
    found = run.services.collection.search(run.args.query, run.services.settings.language(), limit=run.args.limit)
    lines = [f"{row.label:44} {row.state:10} {row.due:10} {row.deck:24} {row.front[:60]}" for row in found.rows]
    shown = f", {len(found.rows)} shown" if found.total > len(found.rows) else ""
    lines.append(f"{found.total} card{'s' if found.total != 1 else ''} match{shown}")
    run.emit({"total": found.total, "cards": [row.to_dict() for row in found.rows]}, "\n".join(lines))
    return 0


CARDS = (
    arg("ids", nargs="*", metavar="ID", help="an item id (all of its cards) or ITEM/cN (one deletion of a cloze)"),
    arg("--deck", dest="cards_deck", metavar="DECK", help="every card of this deck and its subdecks"),
)
ACTIONS = {
    "suspend": "keep cards out of every review until unsuspended",
    "unsuspend": "let suspended cards come up again",
    "bury": "hide cards until the next study day",
    "unbury": "let buried cards come up again today",
    "forget": "put cards back to new (their review history is kept)",
}


def _acting(action: str) -> Handler:
    def handler(run: Run) -> int:
        cards = run.services.collection.resolve(run.args.ids, run.args.cards_deck)
        done = getattr(run.services.actions, action)(cards)
        run.emit({"action": action, "card_ids": sorted(done.before)}, done.summary())
        return 0

    return handler


for _action, _help in ACTIONS.items():
    command(_action, _help, *CARDS, json=True)(_acting(_action))


@command(
    "options",
    "a deck's daily limits, retention and steps (no deck: those of Review all); with options, set them",
    arg("options_deck", nargs="?", default="", metavar="DECK", help="e.g. d2l::cnn; none: the whole collection"),
    arg("--new", type=int, metavar="N", help="new cards a day"),
    arg("--reviews", type=int, metavar="N", help="review answers a day"),
    arg("--new-drills", type=int, metavar="N", help="how many of the day's new cards may be drills"),
    arg("--retention", type=float, metavar="R", help="desired retention, 0.7-0.99 (also for the subdecks)"),
    arg("--steps", dest="learning_steps", metavar="STEPS", help='learning steps, e.g. "1m 10m" ("": none)'),
    arg("--relearn-steps", dest="relearning_steps", metavar="STEPS", help='relearning steps after a lapse, e.g. "10m"'),
    json=True,
)
def _cmd_options(run: Run) -> int:
    deck, settings = run.args.options_deck, run.services.settings
    if deck and not run.services.content.has_deck(deck):
        raise UsageError(f"no deck {deck!r} (see `quizzer due`)")
    given = {name: getattr(run.args, name) for name in OPTION_COLUMNS if getattr(run.args, name) is not None}
    settings.set_deck_options(deck, **given)
    options = settings.deck_options(deck, run.services.config.scheduling)
    drills = "any" if options.new_drills is None else str(options.new_drills)
    run.emit(
        {"deck": deck, **vars(options)},
        f"{deck or 'Review all'}: {options.new} new, {options.reviews} reviews a day; new drills among them: {drills}\n"
        f"retention {options.retention:g}; learning steps {options.learning_steps or 'none'};"
        f" relearning steps {options.relearning_steps or 'none'}",
    )
    return 0


@command(
    "study",
    "custom study: more cards today, or a session of chosen cards, in the app (--list: print it)",
    arg("study_deck", nargs="?", default="", metavar="DECK", help="the deck (with its subdecks); none: every deck"),
    arg("--extra-new", type=int, default=0, metavar="N", help="N more new cards today in DECK, then review it"),
    arg("--extra-reviews", type=int, default=0, metavar="N", help="N more reviews today in DECK, then review it"),
    arg("--ahead", type=int, metavar="DAYS", help="review ahead: learned cards due in the next DAYS days"),
    arg("--forgotten", type=int, nargs="?", const=1, metavar="DAYS", help="cards answered Again in the last DAYS days (1: today)"),
    arg("--tag", help="cards with this tag (or a tag::child of it)"),
    arg("--search", metavar="QUERY", help="cards a search finds, e.g. is:new or 'is:review prop:lapses>2'"),
    arg("--limit", type=int, default=SESSION_LIMIT, metavar="N", help=f"a session's most cards (default {SESSION_LIMIT})"),
    arg("--list", action="store_true", help="print what it studies instead of opening the app"),
    json=True,
)
def _cmd_study(run: Run) -> int:
    from quizzer.services.custom_study import Choice  # with the search language: only when used

    args, services, deck = run.args, run.services, run.args.study_deck
    if deck and not services.content.has_deck(deck):
        raise UsageError(f"no deck {deck!r} (see `quizzer due`)")
    choice = Choice(args.ahead, args.forgotten, args.tag, args.search, args.limit)
    extending = bool(args.extra_new or args.extra_reviews)
    if extending and choice.terms():
        raise UsageError("--extra-new/--extra-reviews raise today's limits for the usual review: not with --ahead, --forgotten, --tag, --search")
    if extending:
        services.custom_study.extend(deck, args.extra_new, args.extra_reviews)
    try:
        custom = services.custom_study.start(deck or None, choice) if choice.terms() else None
    except NothingToStudy as exc:  # with or without --list: said here, no app opened on an empty session
        run.emit({"deck": deck, "title": choice.title(), "cards": []}, exc.message)
        return 0
    if not args.list:
        return _open_app(services, deck, custom)
    if custom is not None:
        rows = services.collection.rows(custom.card_ids)
        lines = [f"custom study, {custom.title}: {len(rows)} card(s)", *(f"{r.label:40} {r.deck:24} {r.state:10} {r.due}" for r in rows)]
        run.emit({"deck": deck, "title": custom.title, "cards": [row.to_dict() for row in rows]}, "\n".join(lines))
        return 0
    overview = services.review.overview()
    counts = vars(overview.decks[deck] if deck else overview.total)
    text = f"{deck or 'Review all'} today: {counts['new']} new, {counts['learning']} learning, {counts['due']} due"
    run.emit({"deck": deck, **counts}, text)
    return 0


@command("set-due", "make learned cards due in DAYS study days (0: today)", arg("days", type=int), *CARDS, json=True)
def _cmd_set_due(run: Run) -> int:
    done = run.services.actions.set_due(run.services.collection.resolve(run.args.ids, run.args.cards_deck), run.args.days)
    run.emit({"action": "set-due", "days": run.args.days, "card_ids": sorted(done.before)}, done.summary())
    return 0


@command(
    "flag", "flag cards with a colour: 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple (0: none)",
    arg("id", help="an item id or ITEM/cN"), arg("colour", type=int, choices=range(8), metavar="COLOUR"), json=True,
)
def _cmd_flag(run: Run) -> int:
    done = run.services.actions.flag(run.services.collection.resolve([run.args.id]), run.args.colour)
    run.emit({"action": "flag", "colour": run.args.colour, "card_ids": sorted(done.before)}, done.summary())
    return 0


@command("info", "a card's state, predicted recall and every review and drill attempt", arg("id"), json=True)
def _cmd_info(run: Run) -> int:
    cards = run.services.info.info(run.args.id)
    run.emit([card.to_dict() for card in cards], "\n\n".join("\n".join(info_lines(card, run.services.settings.language())) for card in cards))
    return 0


@command("edit", "edit an item in $VISUAL/$EDITOR at its line, then check and import its deck folder", arg("id"))
def _cmd_edit(run: Run) -> int:
    edit = run.services.content.begin_edit(run.args.id)
    while True:
        edit.run_editor()
        try:
            report = run.services.content.finish_edit(edit)
        except ContentError as exc:
            print("\n".join(exc.problems), file=sys.stderr)
            if not sys.stdin.isatty():  # a script: the file stays as edited, to be fixed
                return 2
            if input("e: edit again, d: discard the edit [e] ").strip().lower().startswith("d"):
                edit.discard()
                print(f"{edit.file}: put back as it was")
                return 2
            continue
        print(f"{edit.item_id}: saved ({report.summary()})")
        return 0


@command(
    "add",
    "add a card of your own to your deck folder (one language is enough)",
    arg("--deck", dest="own_deck", required=True, metavar="DECK", help="e.g. mine::attention"),
    arg("--front", required=True, help="the question, or with --cloze the text with {{c1::…}} deletions"),
    arg("--back", default="", help="the answer"),
    arg("--front-zh", default="", help="the question in Chinese, when --front is in English"),
    arg("--back-zh", default="", help="the answer in Chinese, when --back is in English"),
    arg("--tag", dest="tags", action="append", default=[], metavar="TAG", help="a tag (repeat for more)"),
    arg("--cloze", action="store_true", help="--front is a cloze text; no --back"),
    json=True,
)
def _cmd_add(run: Run) -> int:
    a = run.args
    card = OwnCard(a.own_deck, a.front, a.back, a.front_zh, a.back_zh, tuple(a.tags), a.cloze)
    item_id = run.services.folders.add_card(card)
    file = deck_file(run.services.folders.own, card.deck)
    run.emit({"id": item_id, "deck": card.deck, "file": str(file)}, f"added {item_id} to {card.deck} ({file})")
    return 0


@command(
    "decks",
    "the deck folders kept imported: list them, add one, remove one (its cards stay)",
    arg("action", choices=("list", "add", "remove")),
    arg("path", nargs="?", type=Path, help="the folder to add or remove"),
    json=True,
)
def _cmd_decks(run: Run) -> int:
    folders = run.services.folders
    if run.args.action != "list" and run.args.path is None:
        raise UsageError(f"quizzer decks {run.args.action} needs a PATH")
    if run.args.action == "add":
        print(f"added {run.args.path}: {folders.add(run.args.path)} items")
    elif run.args.action == "remove":
        folders.remove(run.args.path)
        print(f"removed {run.args.path} (its cards stay until an import of it retires them)")
    else:
        listed = [str(folder) for folder in folders.folders()]
        own = "" if folders.own.is_dir() else f"\n(your own folder {folders.own} is made by the first `quizzer add`)"
        run.emit({"folders": listed, "own": str(folders.own)}, "\n".join(listed) + own)
    return 0


@command(
    "stats",
    "progress: activity, retention, forecast, mastery, the scheduler's parameters",
    arg("--deck", dest="stats_deck", metavar="DECK", help="only this deck and its subdecks"),
    json=True,
)
def _cmd_stats(run: Run) -> int:
    report = run.services.stats.report(run.args.stats_deck)
    run.emit(report.to_dict(), "\n".join(stats_lines(report)))
    return 0


@command(
    "optimize",
    "fit FSRS to your review history; use the fit if it predicts better",
    arg("--evaluate", action="store_true", help="only compare default, fitted and baseline; change nothing"),
    json=True,
)
def _cmd_optimize(run: Run) -> int:
    report = run.services.history.optimize(apply=not run.args.evaluate)
    run.emit(report.to_dict(), "\n".join(optimize_lines(report)))
    return 0


@command(
    "simulate",
    "what each desired retention would cost you: reviews and minutes a day, items remembered",
    arg("--retention", type=float, nargs="+", metavar="R", help="desired retentions to compare (default 0.70 … 0.97 and the optimal one)"),
    arg("--days", type=int, default=365, help="how many days to simulate (default 365)"),
    json=True,
)
def _cmd_simulate(run: Run) -> int:
    report = run.services.simulation.report(run.args.retention, days=run.args.days)
    run.emit(report.to_dict(), "\n".join(simulate_lines(report)))
    return 0


@command(
    "export-apkg",
    "write the cards as an Anki package (drills and other kinds Anki has no type for as basic notes)",
    arg("file", type=Path, help="the .apkg to write"),
    arg("--deck", dest="export_deck", metavar="DECK", help="only this deck and its subdecks"),
)
def _cmd_export_apkg(run: Run) -> int:
    from quizzer.interop.anki_export import export_package  # genanki only for this command

    with run.services.sessions() as session:
        report = export_package(session, run.args.file, run.args.export_deck)
    print(f"wrote {run.args.file}: {report.summary()}")
    return 0


@command(
    "export-log",
    "write the review history as CSV (card_id, review_time, review_rating, ...)",
    arg("file", type=Path),
    syncs_deck=False,
)
def _cmd_export_log(run: Run) -> int:
    print(f"wrote {run.services.history.export_csv(run.args.file)} reviews to {run.args.file}")
    return 0


@command(
    "import-log",
    "add a review history CSV (e.g. from Anki) for fitting and statistics",
    arg("file", type=Path),
    syncs_deck=False,
)
def _cmd_import_log(run: Run) -> int:
    print(f"{run.args.file}: {run.services.history.import_csv(run.args.file).summary()}")
    return 0


@command("backup", "copy the SQLite database (default: into the backups folder beside it)",
         arg("file", nargs="?", type=Path, help="where to write the copy"), needs_db=False)
def _cmd_backup(run: Run) -> int:
    database = backup.sqlite_file(_db_url(run.args))
    print(f"backed up {database} to {backup.backup(database, run.args.file, utc_now())}")
    return 0


@command("restore", "put a backup back in place of the SQLite database (the current one is kept in backups/)",
         arg("file", type=Path, help="a quizzer database file, such as one in the backups folder"), needs_db=False)
def _cmd_restore(run: Run) -> int:
    database = backup.sqlite_file(_db_url(run.args))
    kept = backup.restore(database, run.args.file, utc_now())
    print(f"restored {database} from {run.args.file}" + (f"; the database as it was is in {kept}" if kept else ""))
    return 0


@command("doctor", "check the database, deck folder, sandbox and backups: each line OK or what to do", needs_db=False)
def _cmd_doctor(run: Run) -> int:
    with GradingClient() as client:
        findings = doctor.examine(_config(run.args), utc_now(), client)
    print("\n".join(finding.line() for finding in findings))
    return 0 if all(finding.ok for finding in findings) else 1


def _run_tui(run: Run) -> int:
    deck, services = run.args.deck, run.services
    if deck is not None and not services.content.has_deck(deck):
        raise UsageError(f"no deck {deck!r} (see `quizzer due`)")
    if run.args.lang:
        services.settings.set_language(run.args.lang)
    return _open_app(services, deck)


def _open_app(services: Services, deck: str | None, custom: CustomStudy | None = None) -> int:
    """Run the app: on the deck tree (``deck`` None), a review of ``deck`` ("": every deck) or ``custom``."""
    from quizzer.app import make_app  # Textual is imported here, not at the top: scripts start faster without it

    app = make_app(services, deck=deck, custom=custom)
    app.run()
    return app.return_code or 0


TUI = Command("", "the review app", _run_tui)
"""The bare ``quizzer``: opens the database and syncs the deck folder like any command."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    spec = COMMANDS[args.command] if args.command else TUI
    try:
        utc_now()  # a QUIZZER_NOW that is no time is refused before anything opens
        return _execute(spec, args)
    except QuizzerError as exc:
        print(f"quizzer: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _db_url(args: argparse.Namespace) -> str:
    return str(args.db or default_db_url())


def _config(args: argparse.Namespace) -> Config:
    return Config(db_url=_db_url(args), content_dir=default_content_dir())


def _execute(spec: Command, args: argparse.Namespace) -> int:
    """Open what ``spec`` declared it needs, run its handler, close the database again."""
    if not spec.needs_db:
        return spec.handler(Run(args))
    services = Services.open(_config(args))
    try:
        if spec.syncs_deck:
            services.folders.sync_all()  # what the app shows, scripts see
        return spec.handler(Run(args, services))
    finally:
        services.close()
