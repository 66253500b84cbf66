"""Command line: parse, call a service, print, exit (0 ok, 1 check/grade failed, 2 error).

The bare ``quizzer`` command starts the TUI; the subcommands are for scripts and tests.
Textual is imported only for the TUI, torch never.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizzer.corpus.format import load_content
from quizzer.config import LANGUAGES, Config, default_content_dir, default_db_url
from quizzer.errors import ContentError, QuizzerError, UsageError
from quizzer.services.container import Services
from quizzer.corpus.kinds import DRILL_KINDS
from quizzer.services.drills import prove_drills
from quizzer.services.feedback import format_result
from quizzer.services.stats_text import optimize_lines, stats_lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quizzer", description="Spaced-repetition review of deep-learning notes.")
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: $QUIZZER_DB or db/quizzer.sqlite3)")
    parser.add_argument("--deck", help="start reviewing this deck (e.g. pytorch::autograd) instead of the home screen")
    parser.add_argument("--lang", choices=LANGUAGES, help="which language cards show (saved as the new default)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    imp = sub.add_parser("import", help="import deck files into the database")
    imp.add_argument("path", nargs="?", type=Path, default=default_content_dir())
    chk = sub.add_parser("check", help="validate deck files (exit 0 only if all are valid)")
    chk.add_argument("path", nargs="?", type=Path, default=default_content_dir())
    for name, text in (("due", "what is due today, per deck"), ("list", "every item with its id, deck and kind")):
        sub.add_parser(name, help=text).add_argument("--json", action="store_true")
    grade = sub.add_parser("grade", help="grade a drill answer (exit 0 pass, 1 fail)")
    grade.add_argument("drill_id")
    grade.add_argument("file", type=Path, help="your code (write drills) or your answer (predict drills); - reads stdin")
    grade.add_argument("--seed", type=int, default=0, help="which instance of a parametrised drill (default 0)")
    grade.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help="one item as the learner sees it")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    _history_commands(sub)
    return parser


def _history_commands(sub: Any) -> None:
    stats = sub.add_parser("stats", help="progress: activity, retention, forecast, mastery, the scheduler's parameters")
    stats.add_argument("--deck", dest="stats_deck", metavar="DECK", help="only this deck and its subdecks")
    stats.add_argument("--json", action="store_true")
    opt = sub.add_parser("optimize", help="fit FSRS to your review history; use the fit if it predicts better")
    opt.add_argument("--evaluate", action="store_true", help="only compare default, fitted and baseline; change nothing")
    opt.add_argument("--json", action="store_true")
    exp = sub.add_parser("export-log", help="write the review history as CSV (card_id, review_time, review_rating, ...)")
    exp.add_argument("file", type=Path)
    imh = sub.add_parser("import-log", help="add a review history CSV (e.g. from Anki) for fitting and statistics")
    imh.add_argument("file", type=Path)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _cmd_check(args: argparse.Namespace) -> int:
    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    try:
        items = load_content(args.path)
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
    drills = [item for item in items if item.kind in DRILL_KINDS]
    problems = prove_drills(drills) if drills else []
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) with drills", file=sys.stderr)
        return 1
    if drills:
        print(f"{len(drills)} drills graded: every reference passes, every starter fails")
    return 0


def _cmd_import(args: argparse.Namespace, services: Services) -> int:
    report = services.content.import_path(args.path)
    print(f"imported {args.path}: {report.summary()}")
    return 0


def _cmd_due(args: argparse.Namespace, services: Services) -> int:
    overview = services.review.overview()
    decks = {path: vars(counts) for path, counts in sorted(overview.decks.items())}
    if args.json:
        _print_json({"decks": decks, "reviewed_today": overview.reviewed_today})
        return 0
    print(f"{'deck':40} {'new':>5} {'learn':>5} {'due':>5}")
    for path, counts in decks.items():
        indent = "  " * path.count("::")
        print(f"{indent + path.rsplit('::', 1)[-1]:40} {counts['new']:>5} {counts['learning']:>5} {counts['due']:>5}")
    return 0


def _cmd_list(args: argparse.Namespace, services: Services) -> int:
    items = services.content.items()
    if args.json:
        _print_json([{"id": i.id, "deck": i.deck, "kind": i.kind, "tags": i.tags} for i in items])
        return 0
    for item in items:
        print(f"{item.id:44} {item.kind:8} {item.deck}")
    return 0


def _cmd_grade(args: argparse.Namespace, services: Services) -> int:
    try:
        submission = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {args.file}: not UTF-8 text (byte {exc.start})") from exc
    result = services.drills.grade_item(args.drill_id, submission, seed=args.seed)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(format_result(result))
    return 0 if result.passed else 1


def _cmd_show(args: argparse.Namespace, services: Services) -> int:
    view = services.content.show(args.id)
    if args.json:
        _print_json(view.to_dict())
        return 0
    print(f"{view.id}  ({view.kind}, {view.deck})  source: {view.source}")
    for lang in ("zh", "en"):
        print(f"\n[{lang}] {view.prompt[lang]}")
    for key in ("snippet", "starter"):
        if key in view.extras:
            print(f"\n{view.extras[key].strip()}")
    return 0


def _cmd_stats(args: argparse.Namespace, services: Services) -> int:
    report = services.stats.report(args.stats_deck)
    if args.json:
        _print_json(report.to_dict())
    else:
        print("\n".join(stats_lines(report)))
    return 0


def _cmd_optimize(args: argparse.Namespace, services: Services) -> int:
    report = services.history.optimize(apply=not args.evaluate)
    if args.json:
        _print_json(report.to_dict())
    else:
        print("\n".join(optimize_lines(report)))
    return 0


def _cmd_export_log(args: argparse.Namespace, services: Services) -> int:
    print(f"wrote {services.history.export_csv(args.file)} reviews to {args.file}")
    return 0


def _cmd_import_log(args: argparse.Namespace, services: Services) -> int:
    print(f"{args.file}: {services.history.import_csv(args.file).summary()}")
    return 0


COMMANDS = {
    "import": _cmd_import, "due": _cmd_due, "list": _cmd_list, "show": _cmd_show, "grade": _cmd_grade,
    "stats": _cmd_stats, "optimize": _cmd_optimize, "export-log": _cmd_export_log, "import-log": _cmd_import_log,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = Config(db_url=args.db or default_db_url(), content_dir=default_content_dir())
    try:
        if args.command == "check":
            return _cmd_check(args)
        services = Services.open(config)
        try:
            if args.command not in ("import", "import-log", "export-log"):
                services.content.sync(services.config.content_dir)  # what the app shows, scripts see
            if args.command is None:
                return _run_tui(services, args)
            return COMMANDS[args.command](args, services)
        finally:
            services.close()
    except QuizzerError as exc:
        print(f"quizzer: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run_tui(services: Services, args: argparse.Namespace) -> int:
    # Textual is imported here, not at the top: scripted commands start faster without it.
    from quizzer.app import make_app

    if args.deck is not None and not services.content.has_deck(args.deck):
        raise UsageError(f"no deck {args.deck!r} (see `quizzer due`)")
    if args.lang:
        services.settings.set_language(args.lang)
    app = make_app(services, deck=args.deck)
    app.run()
    return app.return_code or 0
