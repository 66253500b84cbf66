"""The warnings of ``quizzer check``, each on a real case an audit of the deck found (the item
as it was before the fix), and its fixed form passing."""

from __future__ import annotations

from pathlib import Path

from quizzer.corpus.format import load_content
from quizzer.corpus.lints import lint

HEADER = 'deck = "audit"\n'


def warnings_of(tmp_path: Path, *tables: str) -> list[str]:
    (tmp_path / "deck.toml").write_text(HEADER + "\n".join(tables), encoding="utf-8")
    return [str(w) for w in lint(load_content(tmp_path))]


def card(item_id: str, kind: str, **fields: str) -> str:
    lines = [f'[[card]]\nid = "{item_id}"\nkind = "{kind}"\nsource = "003_3ca15c079da8be86.txt § audit"']
    lines += [f"{key.replace('_', '.')} = {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


RESNET_BEFORE = card(
    "arch-resnet-block-layout", "cloze",
    text_zh='"d2l 的残差块：3×3 卷积 → {{c1::批量规范化}} → ReLU → 3×3 卷积 → 批量规范化，然后{{c2::与输入相加}}，最后再过一次 ReLU。"',
    text_en='"d2l\'s residual block: 3×3 conv → {{c1::batch norm}} → ReLU → 3×3 conv → batch norm, then {{c2::add the input}}, then a final ReLU."',
)


def test_a_deletion_whose_answer_stays_visible_elsewhere_in_the_text_is_flagged_at_its_line(tmp_path: Path) -> None:
    assert warnings_of(tmp_path, RESNET_BEFORE) == [
        "deck.toml:2: arch-resnet-block-layout: warning: c1's answer '批量规范化' can be read on its own card, in the zh text: reword or add a hint"
    ]


def test_hiding_every_occurrence_under_one_number_fixes_it(tmp_path: Path) -> None:
    fixed = RESNET_BEFORE.replace("→ 批量规范化，", "→ {{c1::批量规范化}}，").replace("→ batch norm,", "→ {{c1::batch norm}},")
    assert warnings_of(tmp_path, fixed) == []


def test_an_answer_in_the_extra_or_the_other_language_is_flagged(tmp_path: Path) -> None:
    rows_columns = card(
        "tensors-dim-rows-columns", "cloze",
        text_zh='"二维张量里，第 0 维的下标选的是{{c1::行}}，第 1 维的下标选的是{{c2::列}}；所以 dim=0 的归约给出{{c3::每一列一个值}}。"',
        text_en='"In a 2-D tensor, an index along dim 0 picks a {{c1::row}} and an index along dim 1 picks a {{c2::column}}; so a reduction with dim=0 gives {{c3::one value per column}}."',
        extra_zh='"笔记 003 的代码注释写成“列是第 0 个维度，行是第 1 个维度”，正好说反了。"',
        extra_en='"A code comment in note 003 says “columns are dim 0, rows are dim 1”, which is exactly backwards."',
    )
    found = warnings_of(tmp_path, rows_columns)
    assert any("c1's answer '行' can be read on its own card, in extra.zh" in w for w in found)
    assert any("c2's answer '列' can be read on its own card, in the zh text" in w for w in found)


def test_a_word_answer_is_shown_by_its_content_words_in_a_row_not_by_scattered_words(tmp_path: Path) -> None:
    max_pair = card(
        "nn-torch-max-returns-pair", "cloze",
        text_zh='"带 dim 的 torch.max 返回{{c1::(最大值, 下标) 两个张量}}；预测类别用的是{{c2::下标}}。"',
        text_en='"torch.max with a dim returns {{c1::two tensors, (values, indices)}}; the predicted class is {{c2::the indices}}."',
    )
    causal = card(
        "shift-label-vs-covariate", "cloze",
        text_zh='"标签导致特征时自然假设{{c1::标签偏移}}，特征导致标签时自然假设{{c2::协变量偏移}}。"',
        text_en='"When the label causes the features, assume {{c1::label shift}}; when the features cause the label, assume {{c2::covariate shift}}."',
    )
    found = warnings_of(tmp_path, max_pair, causal)
    assert [w.split(": ")[1] for w in found] == ["nn-torch-max-returns-pair"]
    assert "c2's answer 'the indices'" in found[0] or "c2's answer '下标'" in found[0]


DATA_WHY = card(
    "data-why-normalize-inputs", "basic",
    front_zh='"两个输入特征尺度差很多（如年龄与体重）。为什么训练前要把它们缩放到相近的范围？"',
    front_en='"Two input features live on very different scales (say age and weight). Why rescale them to similar ranges before training?"',
    back_zh='"尺度大的特征对应的权重方向上损失变化剧烈，尺度小的方向上很平缓，损失面又窄又长，同一个学习率在一个方向太大、另一个方向太小。缩放后各方向曲率相近，梯度下降收敛更快更稳。"',
    back_en='"The loss changes sharply along the large-scale feature\'s weight and gently along the small one, giving a long narrow valley where one learning rate is too big in one direction and too small in the other. After rescaling the directions look alike and gradient descent converges faster and more steadily."',
)
BATCHNORM_WHY = card(
    "batchnorm-feature-normalization-why", "basic",
    front_zh='"为什么把各维特征规范化到相近的范围会让训练更容易？"',
    front_en='"Why does normalizing feature dimensions to similar ranges make training easier?"',
    back_zh='"若某一维取值很大、另一维很小，误差曲面在不同方向上陡峭程度差很多（细长的山谷），一个学习率很难兼顾。"',
    back_en='"If one dimension takes large values and another small ones, their weights affect the loss very unequally, so the error surface is steep in some directions and flat in others (a long narrow valley) and no single learning rate suits both. With similar ranges the surface is rounder and gradient descent converges faster."',
)


def test_two_cards_whose_answers_say_the_same_are_near_duplicates(tmp_path: Path) -> None:
    (warning,) = warnings_of(tmp_path, BATCHNORM_WHY, DATA_WHY)
    assert warning.startswith("deck.toml:11: data-why-normalize-inputs: warning: its answer nearly repeats batchnorm-feature-normalization-why's (deck.toml:2")


def test_two_cards_asking_nearly_the_same_question_are_near_duplicates(tmp_path: Path) -> None:
    rule = card(
        "mlp-xavier-variance", "basic",
        front_zh='"某层有 n_in 个输入、n_out 个输出。Xavier 初始化让权重的方差取多少？"',
        front_en='"A layer has n_in inputs and n_out outputs. What weight variance does Xavier initialization choose?"',
        back_zh='"σ² = 2/(n_in + n_out)。"', back_en='"σ² = 2/(n_in + n_out)."',
    )
    number = card(
        "init-xavier-variance-number", "typed",
        front_zh='"全连接层有 100 个输入、300 个输出。Xavier 初始化的权重方差是多少？"',
        front_en='"A fully connected layer has 100 inputs and 300 outputs. What weight variance does Xavier initialization give?"',
        answers='["0.005", "1/200"]',
    )
    (warning,) = warnings_of(tmp_path, rule, number)
    assert "init-xavier-variance-number: warning: its question nearly repeats mlp-xavier-variance's" in warning


def test_an_extra_that_writes_out_every_answer_of_another_card_is_flagged(tmp_path: Path) -> None:
    clip_norm = card(
        "schedules-clip-grad-norm", "cloze",
        text_zh='"梯度裁剪：torch.nn.utils.{{c1::clip_grad_norm_}}(model.parameters(), max_norm)。它要放在{{c2::loss.backward() 之后、optimizer.step() 之前}}。"',
        text_en='"Gradient clipping: torch.nn.utils.{{c1::clip_grad_norm_}}(model.parameters(), max_norm). It goes {{c2::after loss.backward() and before optimizer.step()}}."',
    )
    formula = card(
        "rnn-gradient-clipping", "cloze",
        text_zh='"梯度裁剪：g ← {{c1::min(1, θ/‖g‖)}}·g，保持梯度的{{c2::方向}}不变。"',
        text_en='"Gradient clipping: g ← {{c1::min(1, θ/‖g‖)}}·g, keeping its {{c2::direction}}."',
        extra_zh='"PyTorch 中可在 backward() 之后、step() 之前调用 torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)。"',
        extra_en='"In PyTorch, call torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm) after backward() and before step()."',
    )
    found = warnings_of(tmp_path, clip_norm, formula)
    assert "deck.toml:2: schedules-clip-grad-norm: warning: rnn-gradient-clipping (deck.toml:9) writes out its answer: reword one of them" in found
    assert warnings_of(tmp_path, clip_norm, formula.split("extra.zh")[0]) == []


def test_a_card_too_long_for_an_80_by_24_terminal_is_flagged(tmp_path: Path) -> None:
    long_cloze = card(
        "regtheory-weight-decay-is-l2", "cloze",
        text_zh='"权重衰减（每一步先把权重乘以 1 − ηλ 再做梯度更新）在普通 SGD（含动量）下，与在损失上加{{c1::L2 惩罚项 (λ/2)‖w‖²}}完全相同。对 Adam 则不再等价：惩罚项的梯度 λw 会和损失梯度一起被逐参数的 √v̂ 缩放，所以 {{c2::AdamW}} 把衰减从梯度里解耦出来，直接作用在权重上。"',
        text_en='"Weight decay (multiply the weights by 1 − ηλ each step, then take the gradient step) is, for plain SGD (with or without momentum), exactly the same as adding {{c1::an L2 penalty (λ/2)‖w‖²}} to the loss. For Adam it is not: the penalty\'s gradient λw gets rescaled by the per-parameter √v̂ along with the loss gradient, so {{c2::AdamW}} decouples the decay from the gradient and applies it to the weights directly."',
        extra_zh='"PyTorch 里 torch.optim.SGD 和 torch.optim.Adam 的 weight_decay 参数都是把 λw 加到梯度上（即 L2 惩罚）；torch.optim.AdamW 的 weight_decay 才是解耦的权重衰减。"',
        extra_en='"In PyTorch, the weight_decay argument of torch.optim.SGD and of torch.optim.Adam both add λw to the gradient (the L2 penalty); only torch.optim.AdamW\'s weight_decay is decoupled weight decay."',
    )
    assert warnings_of(tmp_path, long_cloze) == []  # its answer, the text filled in, replaces the question: 10 rows
    longer = long_cloze.replace('extra.en = "', 'extra.en = "The note adds, at length: ' + "the same again. " * 30)
    assert warnings_of(tmp_path, longer) == [
        "deck.toml:2: regtheory-weight-decay-is-l2: warning: question and answer take 17 rows in en, more than the 13 that fit at 80×24: split it"
    ]


def test_a_typed_answer_in_english_words_only_is_flagged_unless_the_chinese_text_uses_them(tmp_path: Path) -> None:
    saddle = card(
        "optim-saddle-kind", "typed",
        front_zh='"(0, 0) 处梯度为 0，Hessian 的特征值一正一负。这是什么点？"',
        front_en='"The gradient at (0, 0) is zero and the Hessian has one positive and one negative eigenvalue. What kind of point is it?"',
        answers='["saddle point", "saddle"]',
    )
    none_grad = card(
        "autograd-grad-none-before-backward", "typed",
        front_zh='"还没调用过 backward 时 x.grad 是什么？"', front_en='"What is x.grad before any backward?"',
        answers='["None"]', back_zh='"None：第一次反向传播时才分配。"', back_en='"None: it is allocated at the first backward."',
    )
    assert warnings_of(tmp_path, saddle, none_grad) == [
        "deck.toml:2: optim-saddle-kind: warning: its answers are English words that the Chinese text never uses: add the Chinese form a zh learner types"
    ]
    assert warnings_of(tmp_path, saddle.replace('"saddle"]', '"saddle", "鞍点"]'), none_grad) == []



def test_an_answer_of_english_words_and_numbers_needs_a_chinese_form_too(tmp_path: Path) -> None:
    lr_range = card(
        "optim-lr-range", "typed",
        front_zh='"对 L(w) = w² 做梯度下降，学习率 η 在什么范围内 w 收敛？"', front_en='"Gradient descent on L(w) = w²: for which η does w converge?"',
        answers='["0 < η < 1", "between 0 and 1"]',
    )
    assert warnings_of(tmp_path, lr_range) == [
        "deck.toml:2: optim-lr-range: warning: its answers are English words that the Chinese text never uses: add the Chinese form a zh learner types"
    ]
    assert warnings_of(tmp_path, lr_range.replace('"between 0 and 1"]', '"between 0 and 1", "0 到 1 之间"]')) == []


def test_a_chinese_answer_beside_a_formula_is_not_chinese_only(tmp_path: Path) -> None:
    gradient = card(
        "autograd-4x", "typed",
        front_zh='"y = 2xᵀx，x.grad 是 x 的什么表达式？"', front_en='"y = 2xᵀx: x.grad equals which expression in x?"',
        answers='["4倍的x"]',
    )
    assert warnings_of(tmp_path, gradient) == [
        "deck.toml:2: autograd-4x: warning: its answers are Chinese only: add the English form an en learner types"
    ]
    assert warnings_of(tmp_path, gradient.replace('["4倍的x"]', '["4x", "4倍的x"]')) == []

WEIGHT_DECAY_STEP = '''[[drill]]
id = "drill-reg-weight-decay-step"
kind = "write"
source = "002_a27c7abb3a71c398.txt § 4.5 权重衰减"
prompt.zh = "返回更新后的新权重（不要原地修改 w）。"
prompt.en = "Return the new weights (do not modify w in place)."
function = "weight_decay_step"
starter = """
def weight_decay_step(w, grad, lr, lambd):
    raise NotImplementedError
"""
reference = """
def weight_decay_step(w, grad, lr, lambd):
    return (1 - lr * lambd) * w - lr * grad
"""
examples = ["torch.tensor([2.0, -4.0]), torch.zeros(2), 0.1, 1.0"]
hints = [{ zh = "先衰减。", en = "Decay first." }]
explanation = { zh = "w ← (1 − ηλ)w − η∇L。", en = "w ← (1 − ηλ)w − η∇L." }
'''


def test_a_prompt_forbidding_changes_to_the_arguments_needs_the_arguments_check(tmp_path: Path) -> None:
    assert warnings_of(tmp_path, WEIGHT_DECAY_STEP) == [
        "deck.toml:2: drill-reg-weight-decay-step: warning: its prompt forbids modifying the arguments, "
        'but `compare` lacks "arguments", which checks it'
    ]
    checked = WEIGHT_DECAY_STEP.replace('function = "weight_decay_step"', 'function = "weight_decay_step"\ncompare = ["value", "shape", "dtype", "arguments"]')
    assert warnings_of(tmp_path, checked) == []


def test_a_predict_drill_answered_with_an_english_phrase_is_flagged(tmp_path: Path) -> None:
    saddle = '''[[drill]]
id = "drill-optim-saddle-or-minimum"
kind = "predict"
source = "003_3ca15c079da8be86.txt § Optimization Fails"
prompt = { zh = "最后一行给出什么？", en = "What does the last line give?" }
snippet = """
eig = torch.tensor([-1.0, 3.0])
"local minimum" if (eig > 0).all() else "local maximum" if (eig < 0).all() else "saddle point"
"""
answer_type = "text"
hints = [{ zh = "看特征值的符号。", en = "Look at the eigenvalues' signs." }]
explanation = { zh = "一正一负是鞍点。", en = "Mixed signs: a saddle point." }
'''
    (warning,) = warnings_of(tmp_path, saddle)
    assert "drill-optim-saddle-or-minimum: warning: its text answer is an English phrase ('local minimum')" in warning


def test_a_typed_number_written_out_by_another_card_on_the_same_question_is_flagged(tmp_path: Path) -> None:
    iterations = card(
        "data-iterations-per-epoch", "typed",
        front_zh='"MNIST 训练集 60000 张，DataLoader(batch_size=64)，其他参数默认。一个 epoch 有多少次 iteration？"',
        front_en='"MNIST has 60000 training images; DataLoader(batch_size=64) with other arguments at their defaults. How many iterations are in one epoch?"',
        answers='["938"]',
    )
    view = card(
        "nn-why-view-minus-one", "basic",
        front_zh='"batch_size = 64 的 MNIST 训练集 60000 张，为什么写 x.view(-1, 784)？"',
        front_en='"With MNIST\'s 60000 training images and batch_size = 64, why write x.view(-1, 784)?"',
        back_zh='"一个 epoch 有 938 个批次，最后一批只有 32 张。"',
        back_en='"An epoch has 938 batches and the last holds only 32 images."',
    )
    assert "deck.toml:2: data-iterations-per-epoch: warning: nn-why-view-minus-one (deck.toml:10) writes out its answer" in "\n".join(warnings_of(tmp_path, iterations, view))
    assert warnings_of(tmp_path, iterations, view.replace("938 个批次", "若干批次").replace("938 batches", "several batches")) == []
