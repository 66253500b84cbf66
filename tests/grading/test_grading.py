"""Grading through the real service: verdicts, checks and their feedback."""

from __future__ import annotations

import threading

import pytest

from quizzer.errors import GradingError, UsageError
from quizzer.grading.client import GradingClient
from quizzer.grading.instance import resolve
from quizzer.grading.protocol import CHECK_NAMES, Check, GradeResult
from tests.grading.conftest import drill


def failed(result: GradeResult) -> list[Check]:
    assert all(check.name in CHECK_NAMES for check in result.checks)
    return [c for c in result.checks if not c.passed]


def test_the_reference_passes(client: GradingClient) -> None:
    softmax = drill("softmax-rows")
    result = client.grade(softmax, softmax["reference"], seed=1)
    assert result.verdict == "pass" and result.cause is None
    assert {c.call for c in result.checks} == {"example 1", *(f"random case {n}" for n in range(1, 5))}


def test_the_starter_fails(client: GradingClient) -> None:
    softmax = drill("softmax-rows")
    assert client.grade(softmax, softmax["starter"], seed=1).verdict == "fail"


def test_a_value_mismatch_names_the_call_the_first_differing_element_and_the_max_diff(client: GradingClient) -> None:
    code = "def softmax(x, dim):\n    return torch.softmax(x, dim) + (x > 4.0) * 0.5\n"
    (check,) = failed(client.grade(drill("softmax-rows"), code, seed=1))
    assert (check.name, check.call, check.args) == ("value", "example 1", "softmax(torch.tensor([[1.0, 2.0], [3.0, 5.0]]), 1)")
    assert (check.expected, check.got) == ("0.880797 at [1, 1]", "1.3808 at [1, 1]")
    assert check.detail.startswith("1 of 4 elements differ (max abs diff 0.5, ")


def test_a_shape_mismatch_shows_both_shapes(client: GradingClient) -> None:
    code = "def softmax(x, dim):\n    return torch.softmax(x, dim).sum(dim)\n"
    check = failed(client.grade(drill("softmax-rows"), code, seed=1))[0]
    assert (check.name, check.expected, check.got) == ("shape", "(2, 2)", "(2,)")


def test_a_dtype_mismatch_shows_both_dtypes(client: GradingClient) -> None:
    code = "def softmax(x, dim):\n    return torch.softmax(x.double(), dim)\n"
    assert {(c.name, c.expected, c.got) for c in failed(client.grade(drill("softmax-rows"), code, seed=1))} == {
        ("dtype", "torch.float32", "torch.float64")
    }


def test_code_written_for_the_example_alone_fails_on_random_cases(client: GradingClient) -> None:
    code = (
        "def softmax(x, dim):\n"
        "    if x.shape == (2, 2):\n"
        "        return torch.tensor([[0.268941, 0.731059], [0.119203, 0.880797]])\n"
        "    return torch.zeros_like(x)\n"
    )
    result = client.grade(drill("softmax-rows"), code, seed=1)
    assert result.verdict == "fail"
    assert {c.call for c in failed(result)} == {f"random case {n}" for n in range(1, 5)}
    assert failed(result)[0].args.startswith("softmax(tensor(")


def test_random_cases_follow_the_seed(client: GradingClient) -> None:
    softmax = drill("softmax-rows")
    first = [c.args for c in client.grade(softmax, softmax["reference"], seed=5).checks]
    assert first == [c.args for c in client.grade(softmax, softmax["reference"], seed=5).checks]
    assert first != [c.args for c in client.grade(softmax, softmax["reference"], seed=6).checks]


def test_a_learner_exception_is_a_failed_check_with_the_learner_traceback(client: GradingClient) -> None:
    code = "def softmax(x, dim):\n    y = x.exp()\n    return y / undefined\n"
    result = client.grade(drill("softmax-rows"), code, seed=1)
    check = failed(result)[0]
    assert (check.name, check.got) == ("error", "NameError: name 'undefined' is not defined")
    assert 'File "<your code>", line 3, in softmax\n    return y / undefined' in result.traceback
    assert "quizzer" not in result.traceback


def test_the_learner_must_raise_where_the_reference_raises(client: GradingClient) -> None:
    square = drill("diagonal-of-square")
    result = client.grade(square, square["starter"], seed=1)
    (check,) = failed(result)
    assert (check.name, check.call, check.expected) == ("raises", "example 2", "raises ValueError")
    assert check.got == "returned tensor([1., 1.])"


def test_raising_a_subclass_of_the_expected_exception_passes(client: GradingClient) -> None:
    code = (
        "class NotSquare(ValueError):\n    pass\n"
        "def diagonal(m):\n    if m.shape[0] != m.shape[1]:\n        raise NotSquare('no')\n    return m.diagonal()\n"
    )
    assert client.grade(drill("diagonal-of-square"), code, seed=1).verdict == "pass"


def test_raising_another_exception_type_fails(client: GradingClient) -> None:
    code = "def diagonal(m):\n    if m.shape[0] != m.shape[1]:\n        raise TypeError('no')\n    return m.diagonal()\n"
    (check,) = failed(client.grade(drill("diagonal-of-square"), code, seed=1))
    assert (check.expected, check.got) == ("raises ValueError", "raises TypeError: no")


def test_matching_values_with_wrong_gradients_fail_the_grad_check(client: GradingClient) -> None:
    code = "def normalize(x):\n    return x / x.sum(-1, keepdim=True).detach()\n"
    result = client.grade(drill("normalize-grad"), code, seed=1)
    assert {c.name for c in failed(result)} == {"grad"}
    assert failed(result)[0].detail.startswith("gradient of argument 1: ")


def test_gradients_are_weighted_so_a_mistake_invisible_to_a_plain_sum_fails(client: GradingClient) -> None:
    code = (  # same values; the gradient of the plain sum is 0, as the reference's
        "def normalize(x):\n"
        "    centred = x - x.mean(-1, keepdim=True)\n"
        "    return (x / x.sum(-1, keepdim=True)).detach() + centred - centred.detach()\n"
    )
    assert {c.name for c in failed(client.grade(drill("normalize-grad"), code, seed=1))} == {"grad"}


def test_the_grad_checked_reference_passes(client: GradingClient) -> None:
    normalize = drill("normalize-grad")
    assert client.grade(normalize, normalize["reference"], seed=1).verdict == "pass"


def test_a_syntax_error_is_reported_at_the_editor_line(client: GradingClient) -> None:
    result = client.grade(drill("softmax-rows"), "def softmax(x, dim):\n    return x +\n", seed=1)
    assert (result.cause, result.cause_detail) == ("syntax-error", "line 2: invalid syntax")
    assert 'File "<your code>", line 2' in result.traceback


def test_a_missing_function_is_named(client: GradingClient) -> None:
    result = client.grade(drill("softmax-rows"), "def soft_max(x, dim):\n    return x\n", seed=1)
    assert (result.cause, result.cause_detail) == ("missing-function", "your code does not define a function named `softmax`")


def test_an_error_while_defining_the_code_is_an_exception_with_its_line(client: GradingClient) -> None:
    result = client.grade(drill("softmax-rows"), "x = 1\ny = x / 0\n", seed=1)
    assert (result.cause, result.cause_detail) == ("exception", "ZeroDivisionError: division by zero")
    assert 'File "<your code>", line 2, in <module>' in result.traceback


def test_a_rule_violation_fails_without_running_the_code(client: GradingClient) -> None:
    code = "print('ran')\ndef softmax(x):\n    return F.softmax(x, -1)\n"
    result = client.grade(drill("softmax-no-builtin"), code, seed=1)
    assert result.cause == "rule-violation" and result.stdout == ""
    assert result.cause_detail == "line 3: uses torch.nn.functional.softmax, which this drill asks you not to use (no-call:torch.softmax)"


def test_code_within_the_rules_passes(client: GradingClient) -> None:
    rules = drill("softmax-no-builtin")
    assert client.grade(rules, rules["reference"], seed=1).verdict == "pass"


def test_printed_output_comes_back(client: GradingClient) -> None:
    code = "def softmax(x, dim):\n    print('rows', x.shape[0])\n    return torch.softmax(x, dim)\n"
    result = client.grade(drill("softmax-rows"), code, seed=1)
    assert result.verdict == "pass" and result.stdout.startswith("rows 2\n")


def test_parametrised_instances_are_graded_with_their_own_parameters(client: GradingClient) -> None:
    repeat = drill("repeat-rows")
    for seed in range(4):
        filled, _ = resolve(repeat, seed, None)  # the learner's code has the values, not placeholders
        assert client.grade(repeat, filled["reference"], seed=seed).verdict == "pass"
    result = client.grade(repeat, "def repeat_rows(x):\n    return x.repeat_interleave(2, dim=0)\n", seed=0, params={"n": 3})
    assert result.verdict == "fail" and result.params == {"n": 3}
    assert client.grade(repeat, "def repeat_rows(x):\n    return x.repeat_interleave(3, dim=0)\n", seed=0, params={"n": 3}).passed


def test_the_result_records_seed_and_drawn_parameters(client: GradingClient) -> None:
    result = client.grade(drill("repeat-rows"), "def repeat_rows(x):\n    return x\n", seed=9)
    assert result.seed == 9 and result.params["n"] in (2, 3, 4, 5)
    assert GradeResult.from_dict(result.to_dict()) == result


def test_attempts_from_several_threads_each_get_their_own_result(client: GradingClient) -> None:
    softmax = drill("softmax-rows")
    results: dict[tuple[bool, int], bool] = {}

    def grade(right: bool, seed: int) -> None:
        results[right, seed] = client.grade(softmax, softmax["reference" if right else "starter"], seed=seed).passed

    threads = [threading.Thread(target=grade, args=(right, seed)) for seed in range(3) for right in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {(right, seed): right for seed in range(3) for right in (True, False)}


def test_run_shows_the_outputs_on_the_examples_without_a_verdict(client: GradingClient) -> None:
    run = client.run(drill("diagonal-of-square"), "def diagonal(m):\n    return m.sum(0)\n", seed=1)
    assert [(c.label, c.output, c.error) for c in run.cases] == [
        ("example 1", "tensor([1., 1., 1.])", None),
        ("example 2", "tensor([2., 2., 2.])", None),
    ]
    assert run.cases[0].call == "diagonal(torch.eye(3))"


def test_run_shows_an_example_error(client: GradingClient) -> None:
    run = client.run(drill("diagonal-of-square"), "def diagonal(m):\n    return m[2]\n", seed=1)
    assert (run.cases[0].output, run.cases[0].error) == ("tensor([0., 0., 1.])", None)
    assert run.cases[1].error == "IndexError: index 2 is out of bounds for dimension 0 with size 2"


def test_a_reference_that_cannot_be_defined_is_a_grading_error(client: GradingClient) -> None:
    broken = {**drill("softmax-rows"), "reference": "import no_such_module\n"}
    with pytest.raises(GradingError, match="drill softmax-rows: its reference failed: ModuleNotFoundError"):
        client.grade(broken, "def softmax(x, dim):\n    return x\n", seed=1)


def test_the_client_still_grades_after_a_grading_error(client: GradingClient) -> None:
    with pytest.raises(GradingError):
        client.grade({**drill("softmax-rows"), "generator": "def generate(g, rng, params):\n    return 1 / 0\n"}, "", seed=1)
    softmax = drill("softmax-rows")
    assert client.grade(softmax, softmax["reference"], seed=1).passed


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        ("predict-conv-shape", "8x16x32x32"),
        ("predict-mean", "1/2"),
        ("predict-requires-grad", "no"),
        ("predict-cumsum", "tensor([1., 3., 6.])"),
        ("predict-dtype", "float32"),
    ],
)
def test_a_right_prediction_passes(client: GradingClient, item: str, answer: str) -> None:
    assert client.grade(drill(item), answer, seed=1).verdict == "pass"


def test_a_text_prediction_compares_the_values_text(client: GradingClient) -> None:
    device = {**drill("predict-dtype"), "snippet": "torch.ones(2).device"}
    assert client.grade(device, "cpu", seed=1).passed


def test_a_wrong_prediction_shows_the_truth(client: GradingClient) -> None:
    result = client.grade(drill("predict-conv-shape"), "(8, 3, 32, 32)", seed=1)
    assert result.verdict == "fail"
    assert (result.checks[0].expected, result.checks[0].got) == ("(8, 16, 32, 32)", "(8, 3, 32, 32)")


def test_a_parametrised_prediction_uses_the_seeds_parameters(client: GradingClient) -> None:
    numel = drill("predict-numel")
    assert client.grade(numel, "8", seed=1, params={"a": 2}).passed
    assert not client.grade(numel, "8", seed=1, params={"a": 3}).passed


def test_a_rounded_float_prediction_passes_within_three_digits(client: GradingClient) -> None:
    third = {**drill("predict-mean"), "snippet": "torch.tensor(1.0) / 3"}
    assert client.grade(third, "0.333", seed=1).passed
    assert not client.grade(third, "0.33", seed=1).passed


def test_an_unreadable_prediction_fails_with_the_expected_format(client: GradingClient) -> None:
    result = client.grade(drill("predict-conv-shape"), "eight by sixteen", seed=1)
    assert result.cause == "unreadable-answer" and "expected a shape such as" in result.cause_detail


def test_an_infinite_truth_accepts_only_infinity(client: GradingClient) -> None:
    overflow = {**drill("predict-mean"), "snippet": "torch.tensor(1000.0).exp()"}
    assert client.grade(overflow, "inf", seed=1).passed
    assert not client.grade(overflow, "20", seed=1).passed


def test_zero_is_not_accepted_for_a_tiny_non_zero_truth(client: GradingClient) -> None:
    tiny = {**drill("predict-mean"), "snippet": "torch.tensor(0.5) ** 16"}
    assert not client.grade(tiny, "0", seed=1).passed
    assert client.grade(tiny, "1.526e-5", seed=1).passed


def test_a_one_dimensional_shape_may_be_typed_without_its_comma(client: GradingClient) -> None:
    vector = {**drill("predict-conv-shape"), "snippet": "torch.zeros(16).shape", "params": {}}
    assert client.grade(vector, "(16)", seed=1).passed


def test_a_broken_snippet_is_a_grading_error_even_for_an_unreadable_answer(client: GradingClient) -> None:
    broken = {**drill("predict-mean"), "snippet": "torch.ones(2).no_such_method()"}
    with pytest.raises(GradingError, match="predict-mean"):
        client.grade(broken, "", seed=1)


def test_learner_code_can_build_and_step_an_optimizer(client: GradingClient) -> None:
    code = (
        "def softmax(x, dim):\n"
        "    w = torch.zeros(1, requires_grad=True)\n"
        "    opt = torch.optim.Adam([w], lr=0.1)\n"
        "    (w * 0).sum().backward()\n"
        "    opt.step()\n"
        "    return (x - x.max(dim, keepdim=True).values).exp() / (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True)\n"
    )
    result = client.grade(drill("softmax-rows"), code, seed=1)
    assert result.passed, result.traceback or result.checks


def returning(reference: str, **fields: object) -> dict[str, object]:
    """A drill whose reference ``double`` returns ``reference`` (an expression in x)."""
    return {**drill("hostile-double"), "reference": f"def double(x):\n    return {reference}\n", **fields}


@pytest.mark.parametrize(("reference", "answer"), [
    ("{'a': 2, 'b': 1}", "__import__('collections').Counter('aba')"),
    ("{3: 2, 4: 1}", "__import__('collections').Counter([3, 4, 3])"),
    ("(1, 2)", "__import__('collections').namedtuple('Pair', 'first second')(1, 2)"),
    ("[x, x]", "type('Pair', (list,), {})([x, x])"),
])
def test_dict_list_and_tuple_subclasses_are_compared_as_their_base_type(client: GradingClient, reference: str, answer: str) -> None:
    assert client.grade(returning(reference), f"def double(x):\n    return {answer}\n", seed=1).verdict == "pass"


def test_a_counter_with_different_counts_still_fails_on_its_value(client: GradingClient) -> None:
    result = client.grade(returning("{'a': 2}"), "import collections\ndef double(x):\n    return collections.Counter('a')\n", seed=1)
    assert [(c.name, c.expected, c.got) for c in failed(result)] == [("value", "2", "1")]


def test_an_int_for_a_float_fails_on_its_python_type_by_default(client: GradingClient) -> None:
    result = client.grade(returning("2.0"), "def double(x):\n    return 2\n", seed=1)
    assert [(c.name, c.expected, c.got) for c in failed(result)] == [("dtype", "float", "int")]


def test_any_number_accepts_an_int_or_a_float_of_the_same_value(client: GradingClient) -> None:
    any_number = returning("2.0", compare=["value", "shape", "dtype", "any-number"])
    assert client.grade(any_number, "def double(x):\n    return 2\n", seed=1).verdict == "pass"
    assert client.grade(any_number, "def double(x):\n    return 3\n", seed=1).verdict == "fail"


def test_a_submission_over_256_kib_is_refused_before_it_is_sent(client: GradingClient) -> None:
    code = "def double(x):\n    return x * 2\n" + "#" * (256 << 10)
    with pytest.raises(UsageError, match=r"^the submission is 256 KiB; the grader takes at most 256 KiB$"):
        client.grade(drill("hostile-double"), code, seed=1)


def test_changing_an_argument_the_prompt_says_to_leave_alone_fails_the_arguments_check(client: GradingClient) -> None:
    in_place = "def weight_decay_step(w, grad, lr, lambd):\n    return w.mul_(1 - lr * lambd).sub_(lr * grad)\n"
    (check,) = failed(client.grade(drill("weight-decay-step"), in_place, seed=1))
    assert (check.name, check.call) == ("arguments", "example 1")
    assert check.detail.startswith("your function changed argument 1: 2 of 2 elements differ")


def test_a_new_tensor_leaves_the_arguments_as_the_reference_does(client: GradingClient) -> None:
    out_of_place = "def weight_decay_step(w, grad, lr, lambd):\n    return w * (1 - lr * lambd) - lr * grad\n"
    result = client.grade(drill("weight-decay-step"), out_of_place, seed=1)
    assert result.verdict == "pass" and "arguments" in {c.name for c in result.checks}
