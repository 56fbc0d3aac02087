"""Editing one key of a JSON text and leaving every other byte as it was."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from jupyter_dsl.notebook import json_splice


def set_key(text: str, path: list[str], key: str, value: Any) -> str:
    obj = json_splice.scan_object(text, 0)
    for name in path:
        member = next(m for m in obj.members if m.key == name)
        obj = json_splice.scan_object(text, member.value_start)
    return json_splice.set_member(text, obj, key, value)


def delete_key(text: str, path: list[str], key: str) -> str:
    obj = json_splice.scan_object(text, 0)
    for name in path:
        member = next(m for m in obj.members if m.key == name)
        obj = json_splice.scan_object(text, member.value_start)
    return json_splice.delete_member(text, obj, key)


def test_scan_object_spans() -> None:
    text = ' {"a": 1, "b" :[1, {"c": 2}], "é\\"x": "}"}  '
    obj = json_splice.scan_object(text, 0)
    assert [m.key for m in obj.members] == ["a", "b", 'é"x']
    assert [text[m.value_start : m.value_end] for m in obj.members] == ["1", '[1, {"c": 2}]', '"}"']
    assert text[obj.start : obj.end] == text.strip()
    assert json_splice.scan_object("{ }", 0).members == ()


@pytest.mark.parametrize("bad", ["[1]", '"x"', '{"a" 1}', '{"a": 1 "b": 2}', "{1: 2}", ""])
def test_scan_object_refuses_what_is_not_an_object(bad: str) -> None:
    with pytest.raises(ValueError):
        json_splice.scan_object(bad, 0)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("a", '{\n "a": {\n  "x": 1\n },\n "b": 1,\n "d": 2\n}\n'),  # first
        ("c", '{\n "b": 1,\n "c": {\n  "x": 1\n },\n "d": 2\n}\n'),  # middle
        ("e", '{\n "b": 1,\n "d": 2,\n "e": {\n  "x": 1\n }\n}\n'),  # last
        ("b", '{\n "b": {\n  "x": 1\n },\n "d": 2\n}\n'),  # replaced in place
    ],
)
def test_set_member_in_sorted_indented_object(key: str, expected: str) -> None:
    text = '{\n "b": 1,\n "d": 2\n}\n'
    new = set_key(text, [], key, {"x": 1})
    assert new == expected
    if key != "b":
        assert delete_key(new, [], key) == text


def test_unsorted_object_gets_the_key_last() -> None:
    text = '{\n    "z": 1,\n    "a": 2\n}'
    new = set_key(text, [], "m", [1, 2])
    assert new == '{\n    "z": 1,\n    "a": 2,\n    "m": [\n        1,\n        2\n    ]\n}'
    assert delete_key(new, [], "m") == text


def test_nested_object_keeps_its_depth() -> None:
    text = '{\n "metadata": {\n  "kernelspec": {\n   "name": "python3"\n  }\n },\n "nbformat": 4\n}\n'
    new = set_key(text, ["metadata"], "jupyter_dsl", {"issue": {"number": 1}})
    expected = (
        '{\n "metadata": {\n  "jupyter_dsl": {\n   "issue": {\n    "number": 1\n   }\n  },\n'
        '  "kernelspec": {\n   "name": "python3"\n  }\n },\n "nbformat": 4\n}\n'
    )
    assert new == expected
    assert delete_key(new, ["metadata"], "jupyter_dsl") == text


def test_empty_objects_indented_and_one_line() -> None:
    indented = '{\n "metadata": {},\n "x": 1\n}\n'
    new = set_key(indented, ["metadata"], "k", 1)
    assert new == '{\n "metadata": {\n  "k": 1\n },\n "x": 1\n}\n'
    assert delete_key(new, ["metadata"], "k") == indented
    one_line = '{"metadata": {}, "x": 1}'
    assert set_key(one_line, ["metadata"], "k", [1, 2]) == '{"metadata": {"k": [1, 2]}, "x": 1}'
    compact = '{"metadata":{},"x":1}'
    assert set_key(compact, ["metadata"], "k", [1, 2]) == '{"metadata":{"k":[1,2]},"x":1}'


def test_one_line_documents_keep_their_separators() -> None:
    spaced = '{"b": 1, "d": 2}'
    assert set_key(spaced, [], "a", 0) == '{"a": 0, "b": 1, "d": 2}'
    assert set_key(spaced, [], "c", 0) == '{"b": 1, "c": 0, "d": 2}'
    compact = '{"b":1,"d":2}'
    assert set_key(compact, [], "a", 0) == '{"a":0,"b":1,"d":2}'
    assert set_key(compact, [], "e", {"x": [1]}) == '{"b":1,"d":2,"e":{"x":[1]}}'


def test_crlf_documents_stay_crlf() -> None:
    text = '{\r\n  "b": 1,\r\n  "d": {}\r\n}\r\n'
    new = set_key(text, [], "c", {"x": [1, 2]})
    expected = '{\n  "b": 1,\n  "c": {\n    "x": [\n      1,\n      2\n    ]\n  },\n  "d": {}\n}\n'
    assert new == expected.replace("\n", "\r\n")
    assert delete_key(new, [], "c") == text
    inside = set_key(text, ["d"], "k", 1)
    assert inside == '{\r\n  "b": 1,\r\n  "d": {\r\n    "k": 1\r\n  }\r\n}\r\n'


def test_non_ascii_follows_the_document() -> None:
    raw = '{\n "a": "caf\u00e9"\n}'
    assert set_key(raw, [], "b", "né") == '{\n "a": "café",\n "b": "né"\n}'
    escaped = '{\n "a": "caf\\u00e9"\n}'
    assert set_key(escaped, [], "b", "né") == '{\n "a": "caf\\u00e9",\n "b": "n\\u00e9"\n}'
    plain = '{\n "a": "x\\n"\n}'  # ASCII with only ASCII escapes: nbformat's own style, raw UTF-8
    assert set_key(plain, [], "b", "né") == '{\n "a": "x\\n",\n "b": "né"\n}'


def test_keys_needing_escapes() -> None:
    text = '{\n "a": 1\n}'
    new = set_key(text, [], 'q"uote', 2)
    assert json.loads(new) == {"a": 1, 'q"uote': 2}
    assert delete_key(new, [], 'q"uote') == text


def test_deleting_a_missing_key_changes_nothing_and_the_only_key_leaves_braces() -> None:
    text = '{\n "a": 1\n}'
    assert delete_key(text, [], "zz") == text
    assert delete_key(text, [], "a") == "{}"


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.choice(["int", "float", "str", "bool", "none"] + (["list", "dict"] if depth < 3 else []))
    if kind == "int":
        return rng.randint(-1000, 1000)
    if kind == "float":
        return rng.choice([0.5, -2.25, 1e-3])
    if kind == "str":
        return rng.choice(["", "x", "héllo", "line\nbreak", 'q"uote', "{brace}", "📈", "tab\t"])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {f"k{rng.randint(0, 99)}": random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


STYLES: dict[str, dict[str, Any]] = {
    "indent1-sorted": {"indent": 1, "sort_keys": True, "ensure_ascii": False},
    "indent2": {"indent": 2, "ensure_ascii": False},
    "indent4-ascii": {"indent": 4, "sort_keys": True},
    "one-line": {"ensure_ascii": False},
    "compact": {"separators": (",", ":"), "sort_keys": True},
}


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("seed", range(25))
def test_set_then_delete_restores_random_documents(style: str, seed: int) -> None:
    rng = random.Random(seed)
    data = {f"k{i}": random_value(rng) for i in range(rng.randint(0, 6))}
    data["meta"] = {f"m{i}": random_value(rng) for i in range(rng.randint(0, 4))}
    text = json.dumps(data, **STYLES[style])
    value = random_value(rng)
    new = set_key(text, ["meta"], "jupyter_dsl", value)
    expected = json.loads(text)
    expected["meta"]["jupyter_dsl"] = value
    assert json.loads(new) == expected
    if STYLES[style].get("sort_keys"):  # the same writer, given the change, writes exactly this
        assert new == json.dumps(expected, **STYLES[style])
    assert delete_key(new, ["meta"], "jupyter_dsl") == text
    # replacing in place, then deleting, also restores
    again = set_key(new, ["meta"], "jupyter_dsl", {"other": [value]})
    assert delete_key(again, ["meta"], "jupyter_dsl") == text


def test_scan_array_item_starts_and_the_member_parsers_read() -> None:
    text = ' [1, {"a": [2, 3]} ,"x]" ]'
    starts = json_splice.scan_array(text, 0)
    assert [text[i] for i in starts] == ["1", "{", '"'] and starts[2] == text.index('"x]"')
    assert json_splice.scan_array("[ ]", 0) == []
    for bad in ("{}", "[1 2]", "[1,"):
        with pytest.raises(ValueError):
            json_splice.scan_array(bad, 0)
    obj = json_splice.scan_object('{"k": 1, "k": 2}', 0)
    last = obj.member("k")
    assert last is not None and last.value_start == obj.members[1].value_start  # json.loads gives 2
    assert obj.member("missing") is None
