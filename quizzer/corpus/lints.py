"""Warnings about items that are valid but teach badly: what an audit of the deck kept finding.

``quizzer check`` prints them as ``file:line: id: warning: …``; ``--strict`` makes them errors.
The lints are kind-agnostic: what a card shows (length, near-duplicates) comes from its kind's
``face`` in the registry, and the rest reads fields by name whatever the kind (``text``
deletions, ``answers``, ``extra``, hints, a drill's ``prompt``, ``compare`` and ``snippet``),
so a new kind is linted without a change here. ``docs/content-guide.md`` explains each one
and how to fix what it finds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from math import ceil

from rapidfuzz import fuzz, process
from rich.cells import cell_len

from quizzer.corpus.format import ItemSpec
from quizzer.kinds.base import Face
from quizzer.kinds.cloze.spec import CLOZE, render_cloze
from quizzer.kinds.registry import KINDS
from quizzer.vocabulary import LANGUAGES, Language

DUPLICATE_ANSWER, DUPLICATE_QUESTION = 66, 88
"""Near-duplicates: rapidfuzz ``token_sort_ratio`` of two cards' English answers (back, extra,
a cloze's text) at or above 66, or ``token_set_ratio`` of their questions at or above 88.
Tuned on the pairs an audit found, among the 69,000 pairs of the deck's cards: the answers of
data-why-normalize-inputs and batchnorm-feature-normalization-why score 66 and those of
rnn-gradient-clipping and schedules-clip-grad-norm 69 (both in the top 10), the questions of
mlp-xavier-variance and init-xavier-variance-number 89. The other listed pairs restate a fact
in other words (schedules-clip-value and schedules-clip-norm-vs-value: 46) and rank in the
thousands: no string measure finds them without flagging hundreds of distinct cards, so review
must."""
SAME_QUESTION = 70
"""``token_set_ratio`` of a typed card's question with another item at or above which that item
poses the same problem (so a shared number is no coincidence)."""
REFERENCE_SCORE = 90
"""``partial_ratio`` at or above which an answer with no call in it counts as written out in
another item (an answer that calls functions is written out where they are all called)."""
SCREEN_WIDTH, SCREEN_ROWS = 72, 13
"""The text area of a card at 80×24 in one language: 80 columns less the borders and padding,
24 rows less the header, status line, footer, card border, rating buttons and the rule and
spacing between question and answer."""
ANSWER_BOX_ROWS = 4
"""A kind that takes an answer (a typed card's box: 3 rows and a margin) takes from the same height."""
STOPWORDS = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "and", "or", "its", "it", "is", "are",
     "be", "as", "that", "this", "each", "every", "one", "two", "per", "into", "over", "than", "then", "so", "not", "no",
     "all", "any", "which", "what"]
)
CJK_FILLERS = re.compile(r"^(每个|每一个|每一|每|一个|所有|该|这个|其)|的$")
WORD = re.compile(r"\w+(?:[.'’]\w+)*")
CJK = re.compile(r"[\u3400-\u9fff]")
CALL = re.compile(r"([a-z_]\w{2,})\(")
"""A function an answer calls: ``loss.backward()`` is written out wherever ``backward(`` is."""
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
PLAIN_WORDS = re.compile(r"^[A-Za-z]{2,}(?:[ -][A-Za-z]{2,})*$")
ENGLISH_WORDS = re.compile(r"[A-Za-z0-9 ,-]+")
"""An answer in words (and numbers): no code, no formula."""
WORD_OF_THREE = re.compile(r"[A-Za-z]{3,}")
NO_MUTATION = re.compile(
    r"(do not|don't|must not|never|without)\s+(modify|modifying|mutate|mutating|change|changing|alter|altering)"
    r"|not\s+in[ -]place|(不要|不能|不得|勿|别)(原地|就地)?(修改|改动|改变)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LintWarning:
    """One lint finding, located at its item's table header."""

    file: str
    line: int
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: warning: {self.message}"


def lint(items: list[ItemSpec]) -> list[LintWarning]:
    """Every warning for ``items``, in file and line order."""
    found = [w for check in ITEM_LINTS for item in items for w in check(item)]
    found += [w for check in DECK_LINTS for w in check(items)]
    return sorted(found, key=lambda w: (w.file, w.line, w.message))


def _warn(item: ItemSpec, message: str) -> LintWarning:
    return LintWarning(item.file, item.line, item.id, message)


def normalise(text: str) -> str:
    """Casefolded, width-folded, single-spaced text with cloze markup reduced to its answers."""
    text = CLOZE.sub(lambda m: m.group(2), text)
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _stem(word: str) -> str:
    for suffix in ("'s", "’s", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _content(text: str) -> list[str]:
    """The stemmed words of ``text`` that carry meaning, in order."""
    return [_stem(w) for w in WORD.findall(text) if w not in STOPWORDS]


def shows(answer: str, text: str) -> bool:
    """Whether ``text`` gives ``answer`` away: it contains the answer; or the answer without
    its leading quantifier (每个通道 → 通道); or, for an answer made of words, its content words
    in a row (``the indices`` is shown by ``(values, indices)``, ``label shift`` is not by
    ``the label … covariate shift``)."""
    answer, text = normalise(answer), normalise(text)
    if CJK.search(answer):
        core = CJK_FILLERS.sub("", answer)
        return answer in text or (bool(core) and core in text)
    if re.fullmatch(r"[\w\s'’-]+", answer) and (wanted := _content(answer)):
        seen = _content(text)
        return any(seen[i:i + len(wanted)] == wanted for i in range(len(seen) - len(wanted) + 1))
    return bool(answer) and re.search(rf"(?<![\w.]){re.escape(answer)}(?![\w(])", text) is not None


# --- per item -----------------------------------------------------------------------------


def cloze_answer_shown(item: ItemSpec) -> Iterator[LintWarning]:
    """A deletion's answer is readable elsewhere on its own card: in the text left visible
    (other deletions, the other language), in a hint, or in ``extra``."""
    text = item.body.get("text")
    if not isinstance(text, dict) or not any(CLOZE.search(text.get(lang, "")) for lang in LANGUAGES):
        return
    extra = item.body.get("extra", {})
    for number in sorted({int(m.group(1)) for m in CLOZE.finditer(text["zh"])}):
        visible = {f"the {lang} text": render_cloze(text[lang], number) for lang in LANGUAGES}
        visible |= {f"extra.{lang}": extra[lang] for lang in LANGUAGES if lang in extra}
        shown = [(answer, place) for lang in LANGUAGES for answer in _deletions(text[lang], number)
                 for place, seen in visible.items() if shows(answer, seen)]
        if shown:
            answer, place = shown[0]
            yield _warn(item, f"c{number}'s answer {answer!r} can be read on its own card, in {place}: reword or add a hint")


def _deletions(text: str, number: int) -> list[str]:
    return [m.group(2) for m in CLOZE.finditer(text) if int(m.group(1)) == number]


def too_long(item: ItemSpec) -> Iterator[LintWarning]:
    """A card's question and answer, as its kind shows them, do not fit a 80×24 terminal in one
    language (a cloze is measured on each of its cards; its answer replaces the question)."""
    kind = KINDS[item.kind]
    if kind.is_drill:
        return
    budget = SCREEN_ROWS - (ANSWER_BOX_ROWS if kind.view is not None else 0)
    for ordinal in item.ordinals:
        face = kind.face(item.body, ordinal, 0)
        for lang in LANGUAGES:
            rows = _rows(face.answer[lang]) + (0 if kind.answer_in_place else _rows(face.prompt[lang]))
            if rows > budget:
                yield _warn(item, f"question and answer take {rows} rows in {lang}, more than the {budget} that fit at 80×24: split it")
                return


def _rows(text: str) -> int:
    return sum(max(1, ceil(cell_len(line) / SCREEN_WIDTH)) for line in text.strip("\n").split("\n"))


def answer_in_one_language(item: ItemSpec) -> Iterator[LintWarning]:
    """A typed answer in words of one language only (a zh learner types 鞍点, not saddle point),
    or a predict drill whose answer is an English phrase, which no other wording matches."""
    answers, front = item.body.get("answers"), item.body.get("front")
    if isinstance(answers, list) and isinstance(front, dict):
        yield from _typed_in_one_language(item, answers)
    snippet = item.body.get("snippet")
    if item.body.get("answer_type") == "text" and isinstance(snippet, str):
        phrases = [p for p in re.findall(r"[\"']([^\"'\n]+)[\"']", snippet) if PLAIN_WORDS.match(p) and " " in p]
        if phrases:
            yield _warn(item, f"its text answer is an English phrase ({phrases[0]!r}): other wordings and Chinese are graded "
                              "wrong; ask for a bool, a number or a code value")


def _typed_in_one_language(item: ItemSpec, answers: list[str]) -> Iterator[LintWarning]:
    """English words (``saddle point``, ``between 0 and 1``) need a Chinese form, and Chinese
    answers a form without Chinese. Words the other language's texts use as they are
    (``None``, ``people``, ``'mean'``, ``object``) are typed as they are in both."""
    zh, en = (normalise(" ".join(_all_text(item, lang))) for lang in LANGUAGES)
    english = [a for a in answers if ENGLISH_WORDS.fullmatch(a.strip()) and WORD_OF_THREE.search(a)]
    chinese = [a for a in answers if CJK.search(a)]
    if english and not chinese and not any(all(w.casefold() in zh for w in WORD_OF_THREE.findall(a)) for a in english):
        yield _warn(item, "its answers are English words that the Chinese text never uses: add the Chinese form a zh learner types")
    elif chinese and len(chinese) == len(answers) and not any(normalise(a) in en for a in chinese):
        yield _warn(item, "its answers are Chinese only: add the English form an en learner types")


def unchecked_no_mutation(item: ItemSpec) -> Iterator[LintWarning]:
    """A write drill tells the learner not to modify its arguments but nothing checks that."""
    prompt, compare = item.body.get("prompt"), item.body.get("compare", [])
    if not isinstance(prompt, dict) or "function" not in item.body:
        return
    if any(NO_MUTATION.search(prompt.get(lang, "")) for lang in LANGUAGES) and "arguments" not in compare:
        yield _warn(item, 'its prompt forbids modifying the arguments, but `compare` lacks "arguments", which checks it')


def drill_without_help(item: ItemSpec) -> Iterator[LintWarning]:
    """A drill with no hints or no explanation (optional, for drills from Markdown notes): a
    stuck learner gets no nudge, and a failed one sees only the expected value."""
    if not KINDS[item.kind].is_drill:
        return
    missing = [key for key in ("hints", "explanation") if key not in item.body]
    if missing:
        yield _warn(item, f"it has no {' and no '.join(missing)}: the learner gets no help when stuck or wrong")


# --- across items -------------------------------------------------------------------------


def _is_card(item: ItemSpec) -> bool:
    return not KINDS[item.kind].is_drill


def _face(item: ItemSpec) -> Face:
    """The item's first card as its kind shows it."""
    return KINDS[item.kind].face(item.body, item.ordinals[0], 0)


def _question(item: ItemSpec) -> str:
    return normalise(_face(item).prompt["en"])


def _answer(item: ItemSpec) -> str:
    """The English answer side as shown: back and extra, a cloze's filled-in text, a typed answer."""
    return normalise(_face(item).answer["en"])


def near_duplicates(items: list[ItemSpec]) -> Iterator[LintWarning]:
    """Two cards that teach the same fact: their answers say nearly the same thing, or their
    questions are nearly the same words (one should go, or they merge)."""
    cards = [item for item in items if _is_card(item)]
    measures = (([_answer(c) for c in cards], fuzz.token_sort_ratio, DUPLICATE_ANSWER, "answer"),
                ([_question(c) for c in cards], fuzz.token_set_ratio, DUPLICATE_QUESTION, "question"))
    for texts, scorer, cutoff, what in measures:
        scores = process.cdist(texts, texts, scorer=scorer, score_cutoff=cutoff, workers=1)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                first, second = cards[i], cards[j]
                yield _warn(second, f"its {what} nearly repeats {first.id}'s ({first.file}:{first.line}, similarity "
                                    f"{scores[i][j]:.0f}): merge them, or make each teach one distinct fact")


def answer_written_elsewhere(items: list[ItemSpec]) -> Iterator[LintWarning]:
    """Another card writes out this item's answer, so reviewing one answers the other: every
    deletion of a cloze whose answers are code or phrases, or a typed number together with
    the question it answers."""
    cards = [item for item in items if _is_card(item)]  # a drill's explanation may show the answer
    texts = {item.id: {lang: normalise(" ".join(_all_text(item, lang))) for lang in LANGUAGES} for item in cards}
    for item in items:
        keys = _answer_keys(item)
        other = next((o for o in cards if o.id != item.id and keys and _answers_it(item, keys, texts[o.id])), None)
        if other is not None:
            yield _warn(item, f"{other.id} ({other.file}:{other.line}) writes out its answer: reword one of them")


def _answers_it(item: ItemSpec, keys: list[dict[Language, str]], text: dict[Language, str]) -> bool:
    """Every key is in ``text``; for a typed number, ``text`` also poses the same question: it
    gives every number of two digits or more that the question gives, or reads much like it."""
    if not all(_written(key, text) for key in keys):
        return False
    if "front" not in item.body:
        return True
    numbers = [n for n in NUMBER.findall(_question(item)) if len(n.lstrip("-")) >= 2]
    given = [{lang: n for lang in LANGUAGES} for n in numbers]
    distinctive = any(len(n.lstrip("-").replace(".", "")) >= 3 for n in numbers)  # 60000, not 16 or 32
    same_numbers = distinctive and all(_written(number, text) for number in given)
    return same_numbers or fuzz.token_set_ratio(_question(item), text["en"]) >= SAME_QUESTION


def _specific(answer: str) -> bool:
    """Code (``clip_grad_norm_``) or a phrase of three words or more, not a mere term."""
    answer = normalise(answer)
    return len(answer) >= 8 and (re.search(r"[_.()=\[\]]", answer) is not None or len(answer.split()) >= 3)


def _answer_keys(item: ItemSpec) -> list[dict[Language, str]]:
    """What must all appear elsewhere for the item to be answered there, per language."""
    text = item.body.get("text")
    if isinstance(text, dict) and CLOZE.search(text.get("zh", "")):
        numbers = sorted({int(m.group(1)) for m in CLOZE.finditer(text["zh"])})
        keys = [{lang: " ".join(_deletions(text[lang], n)) for lang in LANGUAGES} for n in numbers]
        return keys if len(keys) >= 2 and all(_specific(k["en"]) for k in keys) else []
    answers, front = item.body.get("answers"), item.body.get("front")
    number = answers[0].strip() if isinstance(answers, list) else ""
    if isinstance(front, dict) and NUMBER.fullmatch(number) and len(number.strip("-").replace(".", "")) >= 2:
        return [{lang: number for lang in LANGUAGES}]
    return []


def _written(key: dict[Language, str], text: dict[Language, str]) -> bool:
    for lang in LANGUAGES:
        answer = normalise(key[lang])
        if NUMBER.fullmatch(answer):
            if not re.search(rf"(?<![\d.]){re.escape(answer)}(?![\d])", text[lang]):
                return False
        elif calls := CALL.findall(answer):
            if not all(re.search(rf"(?<![\w]){re.escape(name)}\(", text[lang]) for name in calls):
                return False
        elif fuzz.partial_ratio(answer, text[lang]) < REFERENCE_SCORE:
            return False
    return True


def _all_text(item: ItemSpec, lang: Language) -> Iterator[str]:
    for value in item.body.values():
        if isinstance(value, dict) and isinstance(value.get(lang), str):
            yield value[lang]
        elif isinstance(value, list):
            yield from (h[lang] for h in value if isinstance(h, dict) and isinstance(h.get(lang), str))


ITEM_LINTS: tuple[Callable[[ItemSpec], Iterator[LintWarning]], ...] = (
    cloze_answer_shown, too_long, answer_in_one_language, unchecked_no_mutation, drill_without_help,
)
DECK_LINTS: tuple[Callable[[list[ItemSpec]], Iterator[LintWarning]], ...] = (near_duplicates, answer_written_elsewhere)

