"""The command line, run as a subprocess exactly as a script would."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CONTENT, FIXTURES

REPO = Path(__file__).resolve().parent.parent


def quizzer(
    *args: str, db: str | None = None, content: Path | None = FIXTURE_CONTENT, timeout: float = 60, now: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``content`` (None: the bundled deck) as the deck it keeps imported, at ``now``
    (``QUIZZER_NOW``, in a UTC time zone; None: the real time)."""
    command = [sys.executable, "-m", "quizzer", *(["--db", db] if db else []), *args]
    env = {**os.environ, "QUIZZER_CONTENT": str(content or "")} | ({"QUIZZER_NOW": now, "TZ": "UTC"} if now else {})
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout, env=env)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert quizzer("import", str(FIXTURE_CONTENT), db=url).returncode == 0
    return url


def test_check_valid_content_exits_0_with_counts_by_kind_and_deck() -> None:
    result = quizzer("check", str(FIXTURE_CONTENT))
    assert result.returncode == 0
    lines = [line.split() for line in result.stdout.splitlines()]
    assert result.stdout.splitlines()[0] == "5 items (6 cards) valid: 3 basic, 1 cloze, 1 typed"
    assert lines[1:] == [["alpha", "2"], ["alpha::sub", "2"], ["beta", "1"]]


RESNET_GIVEAWAY = """deck = "audit"
[[card]]
id = "arch-resnet-block-layout"
kind = "cloze"
source = "003_3ca15c079da8be86.txt § Resnet 残差网络"
text.zh = "3×3 卷积 → {{c1::批量规范化}} → ReLU → 3×3 卷积 → 批量规范化，然后{{c2::与输入相加}}。"
text.en = "3×3 conv → {{c1::batch norm}} → ReLU → 3×3 conv → batch norm, then {{c2::add the input}}."
"""


def test_check_prints_warnings_with_file_and_line_and_still_exits_0(tmp_path: Path) -> None:
    (tmp_path / "cards.toml").write_text(RESNET_GIVEAWAY, encoding="utf-8")
    result = quizzer("check", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "cards.toml:2: arch-resnet-block-layout: warning: c1's answer '批量规范化' can be read on its own card, in the zh text: reword or add a hint",
        "1 warning(s)",
    ]


def test_check_strict_fails_on_a_warning(tmp_path: Path) -> None:
    (tmp_path / "cards.toml").write_text(RESNET_GIVEAWAY, encoding="utf-8")
    result = quizzer("check", "--strict", str(tmp_path))
    assert result.returncode == 1 and "1 warning(s) (--strict: errors)" in result.stderr


def test_check_proves_every_drill_reference_passes_and_starter_fails() -> None:
    result = quizzer("check", str(FIXTURES / "drill_deck"))
    assert result.returncode == 0, result.stderr
    assert "2 drills graded: every reference passes, every starter fails" in result.stdout


def test_the_tensor_puzzles_deck_passes_check_within_its_rules() -> None:
    """Each reference passes under the deck's allow-list and rules, recorded as it runs; each starter fails."""
    puzzles = Path(__file__).resolve().parent.parent / "content" / "drills" / "tensors"
    result = quizzer("check", "--strict", str(puzzles))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "21 drills graded: every reference passes, every starter fails" in result.stdout


def test_a_puzzle_walked_around_fails_with_the_rule_named(tmp_path: Path) -> None:
    answer = tmp_path / "answer.py"
    answer.write_text("def cumsum(a):\n    return torch._C._VariableFunctions.cumsum(a, 0)\n", encoding="utf-8")
    result = quizzer("grade", "drill-tp-cumsum", str(answer), db=f"sqlite:///{tmp_path / 'q.db'}", content=None)
    assert result.returncode == 1
    assert "line 2: touches PyTorch's dispatcher machinery (torch._C._VariableFunctions.cumsum) (no-dispatcher)" in result.stdout


def test_check_fails_on_a_drill_whose_starter_already_passes(tmp_path: Path) -> None:
    deck = (FIXTURES / "drill_deck" / "drills.toml").read_text(encoding="utf-8")
    solved = deck.replace("    raise NotImplementedError", "    return X.exp() / X.exp().sum(1, keepdim=True)")
    (tmp_path / "drills.toml").write_text(solved, encoding="utf-8")
    result = quizzer("check", str(tmp_path))
    assert result.returncode == 1
    assert "drills.toml:2: drill-softmax: the starter code passes (seed 0)" in result.stderr


def test_grade_exits_0_on_a_pass_and_prints_json_with_every_check(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    quizzer("import", str(FIXTURES / "drill_deck"), db=db)
    answer = tmp_path / "a.py"
    answer.write_text("def softmax(X):\n    e = (X - X.max(1, keepdim=True).values).exp()\n    return e / e.sum(1, keepdim=True)\n")
    result = quizzer("grade", "drill-softmax", str(answer), "--json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "pass" and report["checks"] and all(c["passed"] for c in report["checks"])


def test_grade_exits_1_on_a_wrong_prediction_and_says_what_was_expected(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    quizzer("import", str(FIXTURES / "drill_deck"), db=db)
    answer = tmp_path / "a.txt"
    answer.write_text("(1, 1)")
    result = quizzer("grade", "drill-conv-shape", str(answer), db=db)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "expected · 期望 (2, 8," in result.stdout  # headings in both languages, as set


def test_grade_of_an_unknown_drill_or_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    quizzer("import", str(FIXTURES / "drill_deck"), db=db)
    missing = quizzer("grade", "drill-softmax", str(tmp_path / "nope.py"), db=db)
    unknown = quizzer("grade", "no-such-drill", __file__, db=db)
    assert (missing.returncode, unknown.returncode) == (2, 2)
    assert missing.stderr.startswith("quizzer: cannot read") and len(unknown.stderr.splitlines()) == 1


def test_check_bundled_content_passes_even_with_warnings_as_errors() -> None:
    result = quizzer("check", "--strict", "content", timeout=600)  # grades all 161 drills' references and starters
    assert result.returncode == 0, result.stderr


def test_check_invalid_content_exits_1_listing_file_and_line() -> None:
    result = quizzer("check", str(FIXTURES / "bad"))
    assert result.returncode == 1
    assert "missing_back_and_bad_deck.toml:12: no-back: `back` is missing" in result.stderr
    assert "not_toml.toml:4: not valid TOML" in result.stderr


def test_import_reports_what_changed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first = quizzer("import", str(FIXTURE_CONTENT), db=url)
    second = quizzer("import", str(FIXTURE_CONTENT), db=url)
    assert "5 added" in first.stdout
    assert "0 added, 0 updated, 5 unchanged" in second.stdout


def test_import_of_invalid_content_exits_2_and_imports_nothing(db: str) -> None:
    result = quizzer("import", str(FIXTURES / "bad"), db=db)
    assert result.returncode == 2
    assert result.stderr.startswith(f"quizzer: 3 problems in {FIXTURES / 'bad'}:\n")
    assert len(json.loads(quizzer("list", "--json", db=db).stdout)) == 5


def test_import_of_a_deck_file_with_one_problem_is_that_one_line(db: str) -> None:
    result = quizzer("import", str(FIXTURES / "bad" / "not_toml.toml"), db=db)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["quizzer: not_toml.toml:4: not valid TOML: Illegal character '\\n'"]
    assert len(json.loads(quizzer("list", "--json", db=db).stdout)) == 5


def test_quizzer_now_is_the_day_a_command_acts_and_counts_on(db: str) -> None:
    assert quizzer("bury", "alpha-basic-1", db=db, now="2026-12-01T10:00").returncode == 0
    days = ("2026-12-01T11:00", "2026-12-02T11:00")
    new_on = {day: json.loads(quizzer("due", "--json", db=db, now=day).stdout)["decks"]["alpha"]["new"] for day in days}
    assert new_on == dict(zip(days, (4, 5), strict=True))


def test_a_quizzer_now_that_is_no_time_is_refused_with_exit_2(db: str) -> None:
    result = quizzer("due", db=db, now="tomorrow")
    assert result.returncode == 2
    assert result.stderr == "quizzer: QUIZZER_NOW: 'tomorrow' is not an ISO time such as 2026-12-05T08:00\n"


def test_options_stores_a_deck_s_limits_and_due_counts_by_them(db: str) -> None:
    shown = json.loads(quizzer("options", "alpha", "--new", "3", "--new-drills", "1", "--json", db=db).stdout)
    assert shown == {
        "deck": "alpha", "new": 3, "reviews": 200, "new_drills": 1,
        "retention": 0.9, "learning_steps": "1m 10m", "relearning_steps": "10m",
    }
    assert json.loads(quizzer("due", "--json", db=db).stdout)["decks"]["alpha"]["new"] == 3


def test_options_store_a_deck_s_retention_and_steps_in_its_row(db: str) -> None:
    result = quizzer("options", "alpha", "--retention", "0.85", "--steps", "30s 5m 1h", "--relearn-steps", "15m", db=db)
    assert result.stdout.splitlines()[1] == "retention 0.85; learning steps 30s 5m 1h; relearning steps 15m"
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        row = conn.execute("SELECT desired_retention, learning_steps, relearning_steps FROM decks WHERE path = 'alpha'").fetchone()
    assert row == (0.85, "30s 5m 1h", "15m")


def test_options_without_a_deck_are_review_all_s_with_the_default_limits(db: str) -> None:
    result = quizzer("options", db=db)
    assert result.stdout == (
        "Review all: 20 new, 200 reviews a day; new drills among them: any\n"
        "retention 0.9; learning steps 1m 10m; relearning steps 10m\n"
    )


@pytest.mark.parametrize(("flags", "message"), [
    (("--reviews", "-1"), "reviews must be a whole number, 0 or more, not -1"),
    (("--retention", "0.995"), "retention must be between 0.7 and 0.99 (e.g. 0.9), not 0.995"),
    (("--steps", "1m 10"), "steps: '10' is not a step such as 1m, 10m, 1h or 1d"),
])
def test_options_refuse_a_bad_value_with_exit_2_and_one_line(db: str, flags: tuple[str, ...], message: str) -> None:
    result = quizzer("options", *flags, db=db)
    assert (result.returncode, result.stderr) == (2, f"quizzer: {message}\n")


def test_due_json_lists_every_deck_node(db: str) -> None:
    due = json.loads(quizzer("due", "--json", db=db).stdout)
    assert due["decks"]["alpha"] == {"new": 5, "learning": 0, "due": 0}
    assert due["decks"]["alpha::sub"] == {"new": 3, "learning": 0, "due": 0}
    assert due["reviewed_today"] == 0


def test_list_json_gives_ids_decks_and_kinds(db: str) -> None:
    items = {item["id"]: item for item in json.loads(quizzer("list", "--json", db=db).stdout)}
    assert len(items) == 5
    assert items["alpha-cloze"] == {"id": "alpha-cloze", "deck": "alpha::sub", "kind": "cloze", "tags": ["fixture"]}


def test_show_json_gives_the_item_as_the_learner_sees_it(db: str) -> None:
    shown = json.loads(quizzer("show", "alpha-typed", "--json", db=db).stdout)
    assert shown["prompt"]["en"] == "What is torch.ones(2, 3).shape?"
    assert shown["accepted"] == ["(2, 3)", "torch.Size([2, 3])"]


def test_show_prints_the_answer_after_a_rule_and_front_leaves_it_out(db: str) -> None:
    full, front = quizzer("show", "beta-basic", db=db).stdout, quizzer("show", "beta-basic", "--front", db=db).stdout
    assert full.startswith(front.rstrip("\n"))
    answer = full[len(front.rstrip("\n")):]
    assert answer.lstrip("\n").startswith("─" * 40) and "[zh]" in answer and "[en]" in answer


def test_due_with_a_deck_lists_its_subtree_and_its_total(db: str) -> None:
    lines = quizzer("due", "--deck", "alpha", db=db).stdout.splitlines()
    assert [line.split() for line in lines[1:]] == [["alpha", "5", "0", "0"], ["sub", "3", "0", "0"], ["total", "5", "0", "0"]]


def test_due_prints_review_all_s_total_capped_by_the_collection_s_limit(db: str) -> None:
    assert quizzer("options", "--new", "4", db=db).returncode == 0
    assert json.loads(quizzer("due", "--json", db=db).stdout)["total"] == {"new": 4, "learning": 0, "due": 0}


def test_stats_of_an_empty_history_say_no_data_yet_instead_of_a_blank(db: str) -> None:
    lines = quizzer("stats", db=db).stdout.splitlines()
    assert "Calibration (predicted → actual, reviews): no data yet" in lines
    assert not [line for line in lines if line.rstrip().endswith(":")]


def test_show_unknown_id_exits_2_with_one_line(db: str) -> None:
    result = quizzer("show", "nope", db=db)
    assert result.returncode == 2
    assert result.stderr == "quizzer: no item with id 'nope' (see `quizzer list`)\n"


def test_unreachable_database_exits_2_with_one_line(tmp_path: Path) -> None:
    result = quizzer("due", db="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stderr.startswith("quizzer: ") and result.stderr.count("\n") == 1


def test_unparseable_database_url_exits_2() -> None:
    result = quizzer("due", db="not a url")
    assert result.returncode == 2
    assert "cannot parse database URL" in result.stderr


def test_grade_of_a_file_that_is_not_text_is_a_one_line_error(tmp_path: Path) -> None:
    binary = tmp_path / "b.py"
    binary.write_bytes(b"\xff\xfe")
    result = quizzer("grade", "drill-softmax", str(binary), db=f"sqlite:///{tmp_path / 'g.sqlite3'}")
    assert result.returncode == 2 and result.stderr.startswith("quizzer: cannot read") and "UTF-8" in result.stderr


def test_scripts_on_a_fresh_database_see_the_bundled_deck(tmp_path: Path) -> None:
    result = quizzer("list", "--json", db=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", content=None)
    assert result.returncode == 0 and len(json.loads(result.stdout)) > 250


def test_starting_on_an_unknown_deck_is_a_one_line_error(tmp_path: Path) -> None:
    result = quizzer("--deck", "no::such::deck", db=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert result.returncode == 2 and result.stderr == "quizzer: no deck 'no::such::deck' (see `quizzer due`)\n"


def test_check_of_a_missing_path_is_bad_input(tmp_path: Path) -> None:
    result = quizzer("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "no such file or directory" in result.stderr


def test_import_of_a_missing_path_is_one_line(tmp_path: Path) -> None:
    result = quizzer("import", str(tmp_path / "nowhere.toml"), db=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert (result.returncode, result.stderr) == (2, f"quizzer: {tmp_path / 'nowhere.toml'}: no such file or directory\n")


def test_output_cut_short_by_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "quizzer", "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}", "list"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read().decode()
    assert process.returncode == 0 and "Traceback" not in stderr


def test_check_needs_no_database() -> None:
    result = quizzer("check", str(FIXTURE_CONTENT), db="not a url")
    assert result.returncode == 0, result.stderr


def test_help_names_the_data_folder(data_folder: Path) -> None:
    result = quizzer("--help")
    assert result.returncode == 0 and f"\ndata folder: {data_folder}\n" in result.stdout


def test_grade_of_several_files_prints_one_json_object_per_line_from_one_service(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    quizzer("import", str(FIXTURES / "drill_deck"), db=db)
    right, wrong, huge = tmp_path / "right.py", tmp_path / "wrong.py", tmp_path / "huge.py"
    right.write_text("def softmax(X):\n    e = (X - X.max(1, keepdim=True).values).exp()\n    return e / e.sum(1, keepdim=True)\n")
    wrong.write_text("def softmax(X):\n    return X\n")
    huge.write_text("def softmax(X):\n    return X\n" + "#" * (300 << 10))
    result = quizzer("grade", "drill-softmax", str(right), str(wrong), str(huge), "--json", db=db)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert [(line["file"], line.get("verdict")) for line in lines] == [(str(right), "pass"), (str(wrong), "fail"), (str(huge), None)]
    assert lines[2]["error"] == "the submission is 300 KiB; the grader takes at most 256 KiB"
    text = quizzer("grade", "drill-softmax", str(right), str(wrong), db=db).stdout.splitlines()
    assert text[0] == f"{right}: PASS" and text[1].startswith(f"{wrong}: FAIL value on example 1")
