"""``?``: quizzer's own keys on the screen the learner is on, grouped, in the language set.

The keys are read from the screen's and the app's bindings, so the list never drifts from
what the keys do; what each does is said here, in both languages. Keys handled by a widget
(``enter`` on the deck tree) are named by the screen in ``EXTRA_KEYS``. Textual's generic
keys (moving in a tree, focus) are left out: they are not quizzer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizzer.vocabulary import Showing, said

KeyGroup = Literal["answer", "navigate", "item", "app"]
GROUPS: dict[KeyGroup, tuple[str, str]] = {
    "answer": ("Answer", "作答"), "navigate": ("Navigate", "导航"), "item": ("Item actions", "条目操作"), "app": ("App", "应用"),
}


@dataclass(frozen=True)
class KeyHelp:
    """What a key does, in the group it is listed under."""

    group: KeyGroup
    en: str
    zh: str


CARD_INFO = KeyHelp("item", "card info: state, today's predicted recall, every review", "卡片信息：状态、今天的预测记忆率、每次复习")
EDIT = KeyHelp("item", "edit the item in $VISUAL/$EDITOR at its line", "在 $VISUAL/$EDITOR 中打开这一条所在的行")
RATE = KeyHelp("answer", "rate: Again, Hard, Good, Easy (each button shows its next interval)", "评分：重来、困难、良好、简单（按钮上是下次间隔）")
BACK = KeyHelp("navigate", "back", "返回")
UNDO = KeyHelp("item", "undo the newest answer, bury, suspend or skip, each in turn", "撤销最近的作答、搁置、暂停或跳过（依次撤销）")
SUSPEND = KeyHelp("item", "suspend it", "暂停")
BURY = KeyHelp("item", "bury it until tomorrow", "搁置到明天")
SKIP = KeyHelp("item", "skip: later in this session, once nothing else is left", "跳过：本次学习稍后再出现")

ACTIONS: dict[str, KeyHelp] = {
    # a review
    "ReviewScreen.reveal": KeyHelp("answer", "show the answer", "显示答案"),
    "rate": RATE,
    "page": KeyHelp("navigate", "scroll by a page, whatever has the focus", "翻页（无论焦点在哪里）"),
    "ReviewScreen.undo": UNDO,
    "ReviewScreen.suspend": SUSPEND,
    "ReviewScreen.bury": BURY,
    "ReviewScreen.skip": SKIP,
    "ReviewScreen.type_answer": KeyHelp("answer", "into the answer box again, after esc", "回到答案输入框（按 esc 之后）"),
    "ReviewScreen.leave": KeyHelp(
        "navigate", "in the answer box: give the keys back to the screen; else back to the deck tree",
        "在答案框中：把按键交还给屏幕；否则返回牌组列表",
    ),
    "info": CARD_INFO,
    "edit": EDIT,
    "app.show_decks": KeyHelp("navigate", "back to the deck tree", "返回牌组列表"),
    "ReviewScreen.retry": KeyHelp("app", "read the database again", "重新读取数据库"),
    # a drill
    "DrillScreen.run": KeyHelp("answer", "run your code on the drill's examples", "在本题示例上运行代码"),
    "DrillScreen.submit": KeyHelp("answer", "submit: graded on the examples and on random inputs", "提交：用示例和随机输入评分"),
    "DrillScreen.hint": KeyHelp("answer", "one more hint", "再给一条提示"),
    "DrillScreen.give_up": KeyHelp("answer", "give up and see the reference", "放弃并查看参考答案"),
    "DrillScreen.write": KeyHelp("answer", "into the editor (or the answer box): the keys type there", "进入编辑器（或答案框）：按键从此输入其中"),
    "DrillScreen.review('undo')": UNDO,
    "DrillScreen.review('suspend')": SUSPEND,
    "DrillScreen.review('bury')": BURY,
    "DrillScreen.review('skip')": SKIP,
    "DrillScreen.leave": KeyHelp(
        "navigate", "in the editor: give the keys back to the screen; else back to the deck tree (your code is kept)",
        "在编辑器中：把按键交还给屏幕；否则返回牌组列表（代码会保留）",
    ),
    # the deck tree
    "HomeScreen.review_all": KeyHelp("navigate", "review every deck", "复习所有牌组"),
    "HomeScreen.browse_deck": KeyHelp("navigate", "browse the selected deck's cards", "浏览选中牌组的卡片"),
    "HomeScreen.options": KeyHelp("app", "the selected deck's daily limits", "选中牌组的每日上限"),
    "HomeScreen.restore('unsuspend')": KeyHelp("item", "unsuspend every card of the selected deck", "恢复选中牌组中暂停的所有卡片"),
    "HomeScreen.restore('unbury')": KeyHelp("item", "unbury every card of the selected deck", "取消搁置选中牌组中的所有卡片"),
    "HomeScreen.undo": KeyHelp(
        "item", "undo this window's newest action (an unsuspend, an unbury, an answer)", "撤销本窗口最近的操作（恢复、取消搁置、作答）"
    ),
    "app.custom_study": KeyHelp(
        "navigate", "custom study: review ahead, extra new cards, by tag or state", "自定义学习：提前复习、额外新卡、按标签或状态"
    ),
    "app.show_stats": KeyHelp("navigate", "statistics", "统计"),
    "app.quit": KeyHelp("app", "quit", "退出"),
    # the browser
    "BrowserScreen.leave": BACK,
    "BrowserScreen.focus_search": KeyHelp("navigate", "back to the search box", "回到搜索框"),
    "BrowserScreen.mark": KeyHelp("item", "mark the row", "标记这一行"),
    "BrowserScreen.mark_all": KeyHelp("item", "mark every row shown", "标记显示的每一行"),
    "BrowserScreen.suspend": KeyHelp("item", "suspend (again: unsuspend)", "暂停（再按：恢复）"),
    "BrowserScreen.bury": KeyHelp("item", "bury (again: unbury)", "搁置（再按：取消搁置）"),
    "BrowserScreen.forget": KeyHelp("item", "forget: back to new, history kept", "遗忘：重置为新卡，保留记录"),
    "BrowserScreen.set_due": KeyHelp("item", "due in N days", "设为 N 天后到期"),
    "BrowserScreen.flag": KeyHelp("item", "flag with a colour 1–7 (0: none)", "标记颜色 1–7（0：取消）"),
    "BrowserScreen.undo": KeyHelp("item", "undo the last action", "撤销上一个操作"),
    # the statistics
    "app.pop_screen": BACK,
    "StatsScreen.cycle_span": KeyHelp("navigate", "reviews per day over 30, 90 or 365 days", "每日复习：30、90 或 365 天"),
    "StatsScreen.toggle_months": KeyHelp("navigate", "retention per week or per month", "按周或按月的记忆保持率"),
    "StatsScreen.toggle_topics": KeyHelp("navigate", "cards by state per deck or per topic", "按牌组或按主题的卡片状态"),
    # forms and dialogs
    "dismiss": KeyHelp("navigate", "close", "关闭"),
    "cancel": KeyHelp("navigate", "cancel", "取消"),
    "save": KeyHelp("item", "save", "保存"),
    "choose(True)": KeyHelp("item", "edit again", "再次编辑"),
    "choose(False)": KeyHelp("item", "discard the edit: the file as it was", "放弃修改：文件恢复原样"),
    # everywhere
    "toggle_keys": KeyHelp("app", "these keys (again: close)", "按键说明（再按：关闭）"),
    "cycle_language": KeyHelp("app", "cards in Chinese, English or both", "卡片语言：中文、英文或中英"),
    "show_browser": KeyHelp("navigate", "the card browser", "卡片浏览器"),
    "add_card": KeyHelp("item", "add a card of your own", "添加自己的卡片"),
}
"""What each action does, by ``Screen.action`` where screens differ, else by action (its
arguments included where they change its meaning)."""
PALETTE = KeyHelp("app", "command palette: every action by name", "命令面板：按名称查找所有操作")
KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "esc", "pageup": "PgUp", "pagedown": "PgDn"}

Rows = list[tuple[str, KeyHelp]]
"""Keys (several joined, as ``1 2 3 4``) and what they do."""


def help_for(screen: str, action: str) -> KeyHelp | None:
    base = action.split("(")[0]
    for name in (f"{screen}.{action}", f"{screen}.{base}", action, base):
        if name in ACTIONS:
            return ACTIONS[name]
    return None


def _bindings(bindings: list[BindingType]) -> list[Binding]:
    return [binding for same_key in BindingsMap(bindings).key_to_bindings.values() for binding in same_key]


def screen_keys(screen: Screen[Any], app: App[Any]) -> Rows:
    """The screen's keys, then the app's that the screen leaves to it, one row per action; an
    action no entry names is listed with its footer label."""
    rows: dict[KeyHelp, list[str]] = {}
    taken: set[str] = set()
    extra: list[tuple[str, KeyHelp]] = getattr(screen, "EXTRA_KEYS", [])
    for key, key_help in extra:
        rows.setdefault(key_help, []).append(key)
    for bindings in (_bindings(type(screen).BINDINGS), _bindings(type(app).BINDINGS)):
        for binding in (b for b in bindings if b.key not in taken):
            key_help = help_for(type(screen).__name__, binding.action) or KeyHelp("item", binding.description, binding.description)
            rows.setdefault(key_help, []).append(binding.key_display or KEY_NAMES.get(binding.key, binding.key))
        taken |= {binding.key for binding in bindings}
    rows.setdefault(PALETTE, []).append(app.COMMAND_PALETTE_BINDING)
    return [(" ".join(dict.fromkeys(keys)), key_help) for key_help, keys in rows.items()]


def keys_text(rows: Rows, language: Showing) -> Group:
    """The rows under their group's heading, in the order of ``GROUPS``; long descriptions wrap
    in their own column."""
    width = max(cell_len(keys) for keys, _ in rows)
    parts: list[RenderableType] = []
    for group, heading in GROUPS.items():
        shown = [(keys, key_help) for keys, key_help in rows if key_help.group == group]
        if not shown:
            continue
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=width, style="bold")
        table.add_column(ratio=1)
        for keys, key_help in shown:
            table.add_row(keys, said((key_help.en, key_help.zh), language))
        parts += [*([Text()] if parts else []), Text(said(heading, language), style="bold underline"), table]
    return Group(*parts)


class KeysScreen(ModalScreen[None]):
    """The keys of the screen below, over it; ``?`` or ``esc`` closes it."""

    DEFAULT_CSS = """
    KeysScreen {
        align: center middle;
    }
    KeysScreen #keys {
        width: 100%;
        max-width: 96;
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 1;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark", "dismiss", "Close")]

    def __init__(self, rows: Rows, language: Showing) -> None:
        super().__init__()
        self.rows, self.language = rows, language

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="keys") as keys:
            keys.border_title = said(("Keys", "按键"), self.language)
            yield Static(keys_text(self.rows, self.language), id="keys-list")
