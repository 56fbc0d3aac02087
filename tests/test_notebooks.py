"""The notebook link: only ``metadata.jupyter_dsl`` changes, byte for byte, and bad files are left alone."""

from __future__ import annotations

import copy
import json
import stat
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from jupyter_dsl.errors import InvalidInput, NotFound
from jupyter_dsl.notebook import document, json_splice
from jupyter_dsl.notebook.document import IssueRef, NotebookLink

LINK = NotebookLink(
    issue=IssueRef(tracker="local", number=7, type="Explore", title="Churn — by région 📈", url=""),
    ask=3,
    branch="explore/7-churn-by-region",
)


def nbformat_bytes_with_link(original: Path, link: NotebookLink | None) -> bytes:
    """What ``nbformat.write`` writes for the same notebook with the same metadata change."""
    nb = nbformat.read(original, as_version=nbformat.NO_CONVERT)
    if link is None:
        nb.metadata.pop(document.METADATA_KEY, None)
    else:
        nb.metadata[document.METADATA_KEY] = link.to_json()
    out = original.with_name("expected.ipynb")
    nbformat.write(nb, out)
    return out.read_bytes()


def only_inserted(before: bytes, after: bytes) -> bytes:
    """The bytes ``after`` adds to ``before``; fails unless ``after`` is ``before`` with one insertion."""
    prefix = 0
    while prefix < len(before) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(before) - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    assert prefix + suffix == len(before), "bytes outside the inserted link changed"
    return after[prefix : len(after) - suffix]


def test_link_written_as_nbformat_would(tmp_path: Path, make_notebook: Callable[..., Path]) -> None:
    path = make_notebook(tmp_path / "a.ipynb")
    original = path.read_bytes()
    document.set_link(path, LINK)
    assert path.read_bytes() == nbformat_bytes_with_link(path, LINK)
    assert b'jupyter_dsl"' in only_inserted(original, path.read_bytes())
    assert document.get_link(path) == LINK
    assert document.remove_link(path) is True
    assert path.read_bytes() == original
    assert document.remove_link(path) is False
    assert path.read_bytes() == original


def test_relinking_replaces_only_the_link(tmp_path: Path, make_notebook: Callable[..., Path]) -> None:
    path = make_notebook(tmp_path / "a.ipynb")
    original = path.read_bytes()
    document.set_link(path, LINK)
    other = NotebookLink(
        issue=IssueRef("local", 8, "Experiment", "Boost"), ask=3, branch="experiment/8-boost"
    )
    document.set_link(path, other)
    assert path.read_bytes() == nbformat_bytes_with_link(path, other)
    assert document.get_link(path) == other
    document.remove_link(path)
    assert path.read_bytes() == original


def test_unknown_link_keys_are_kept(
    tmp_path: Path, make_notebook: Callable[..., Path], sample_nb: nbformat.NotebookNode
) -> None:
    nb = sample_nb
    nb.metadata["jupyter_dsl"] = {**LINK.to_json(), "future_key": {"x": 1}}
    path = make_notebook(tmp_path / "a.ipynb", nb)
    link = document.get_link(path)
    assert link is not None and link.extra == {"future_key": {"x": 1}}
    before = path.read_bytes()
    document.set_link(path, link)
    assert path.read_bytes() == before


def styled(nb: nbformat.NotebookNode, style: str) -> str:
    """The notebook serialized the way other tools (or people) write JSON."""
    data = json.loads(nbformat.writes(nb))
    if style == "indent2":
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if style == "indent4-unsorted":
        reordered = {"nbformat_minor": data["nbformat_minor"], "metadata": data["metadata"], **data}
        reordered["metadata"] = dict(reversed(list(data["metadata"].items())))
        return json.dumps(reordered, indent=4, ensure_ascii=False)
    if style == "tabs":
        return json.dumps(data, indent="\t", sort_keys=True, ensure_ascii=False) + "\n"
    if style == "ascii-escapes":
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n"
    if style == "crlf":
        return nbformat.writes(nb).replace("\n", "\r\n") + "\r\n"
    if style == "compact":
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if style == "one-line":
        return json.dumps(data, sort_keys=True, ensure_ascii=False)
    if style == "empty-metadata":
        data["metadata"] = {}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    raise AssertionError(style)


STYLES = [
    "indent2",
    "indent4-unsorted",
    "tabs",
    "ascii-escapes",
    "crlf",
    "compact",
    "one-line",
    "empty-metadata",
]


@pytest.mark.parametrize("style", STYLES)
def test_other_formatting_is_kept_byte_for_byte(
    tmp_path: Path, style: str, sample_nb: nbformat.NotebookNode
) -> None:
    path = tmp_path / "styled.ipynb"
    path.write_bytes(styled(sample_nb, style).encode("utf-8"))
    original = path.read_bytes()
    document.set_link(path, LINK)
    linked = path.read_bytes()
    inserted = only_inserted(original, linked)
    assert b"jupyter_dsl" in inserted
    data = json.loads(linked)
    assert data["metadata"]["jupyter_dsl"] == LINK.to_json()
    del data["metadata"]["jupyter_dsl"]
    assert data == json.loads(original)
    if style == "crlf":
        assert b"\n" not in linked.replace(b"\r\n", b"")  # no bare LF slipped in
    if style == "ascii-escapes":
        assert linked.isascii()
    if style == "empty-metadata":
        assert linked == nbformat_bytes_with_link(path, LINK)
    elif style != "indent4-unsorted":  # sorted styles: exactly what the same writer writes with the link
        with_link = copy.deepcopy(sample_nb)
        with_link.metadata["jupyter_dsl"] = LINK.to_json()
        assert linked == styled(with_link, style).encode("utf-8")
    # relinking and unlinking: back to the exact original bytes
    document.set_link(path, LINK)
    assert path.read_bytes() == linked
    document.remove_link(path)
    assert path.read_bytes() == original


MALFORMED = {
    "bad-json": b'{"cells": [ oops',
    "empty-file": b"",
    "json-list": b"[1, 2, 3]\n",
    "no-cells": b'{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n',
    "nbformat-3-without-worksheets": b'{"metadata": {}, "nbformat": 3, "nbformat_minor": 0}\n',
    "nbformat-99": b'{"cells": [], "metadata": {}, "nbformat": 99, "nbformat_minor": 0}\n',
    "nbformat-string": b'{"cells": [], "metadata": {}, "nbformat": "4", "nbformat_minor": 5}\n',
    "cell-without-source": json.dumps(
        {"cells": [{"cell_type": "code", "metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    ).encode(),
    "metadata-not-object": b'{"cells": [], "metadata": [], "nbformat": 4, "nbformat_minor": 5}\n',
    "not-utf8": b'{"cells": [], "metadata": {"x": "\xff"}, "nbformat": 4, "nbformat_minor": 5}\n',
    "trailing-garbage": b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n}}',
}


@pytest.mark.parametrize("name", list(MALFORMED))
@pytest.mark.parametrize("action", ["get", "set", "remove"])
def test_malformed_notebooks_are_invalid_input_and_untouched(tmp_path: Path, name: str, action: str) -> None:
    path = tmp_path / f"{name}.ipynb"
    path.write_bytes(MALFORMED[name])
    stat_before = path.stat()
    with pytest.raises(InvalidInput) as err:
        if action == "get":
            document.get_link(path)
        elif action == "set":
            document.set_link(path, LINK)
        else:
            document.remove_link(path)
    assert str(path) in err.value.message and "not a valid notebook" in err.value.message
    assert path.read_bytes() == MALFORMED[name]
    assert path.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def v3_notebook() -> str:
    """An nbformat 3 notebook whose first code cell is tagged ``parameters``."""
    v3 = nbformat.v3
    cells = [
        v3.new_text_cell("markdown", source="# Old"),
        v3.new_code_cell(input="alpha = 0.5\nregion = 'north'", metadata={"tags": ["parameters"]}),
        v3.new_code_cell(input="print(alpha, region)"),
    ]
    return str(nbformat.writes(v3.new_notebook(worksheets=[v3.new_worksheet(cells=cells)]), version=3))


def test_an_older_nbformat_is_read_as_version_4_and_never_edited(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(v3_notebook())
    original = path.read_bytes()
    node = document.read(path)
    assert node.nbformat == 4 and [c.cell_type for c in node.cells] == ["markdown", "code", "code"]
    assert node.cells[1].source == "alpha = 0.5\nregion = 'north'"
    assert node.cells[1].metadata["tags"] == ["parameters"]
    assert document.get_link(path) is None
    for change in (lambda: document.set_link(path, LINK), lambda: document.remove_link(path)):
        with pytest.raises(InvalidInput) as err:
            change()
        expected = f"{path} is an nbformat 3 notebook: jupyter-dsl changes nbformat 4 notebooks only"
        assert err.value.message == expected
        assert "jupyter nbconvert --to notebook --inplace" in (err.value.hint or "")
        assert path.read_bytes() == original


def test_broken_link_metadata_is_invalid_on_read_and_removable(
    tmp_path: Path, make_notebook: Callable[..., Path], sample_nb: nbformat.NotebookNode
) -> None:
    clean = make_notebook(tmp_path / "clean.ipynb", sample_nb).read_bytes()
    nb = sample_nb
    nb.metadata["jupyter_dsl"] = {"issue": "not an object"}
    path = make_notebook(tmp_path / "a.ipynb", nb)
    with pytest.raises(InvalidInput) as err:
        document.get_link(path)
    assert "metadata.jupyter_dsl" in err.value.message
    assert document.remove_link(path) is True  # the way out that the error's hint names
    assert path.read_bytes() == clean


@pytest.mark.parametrize("name", ["notes.txt", "data.json", "script.py", "README"])
def test_non_notebook_files_are_invalid_input(
    tmp_path: Path, name: str, sample_nb: nbformat.NotebookNode
) -> None:
    path = tmp_path / name
    content = json.dumps(json.loads(nbformat.writes(sample_nb))).encode()
    path.write_bytes(content)  # even with notebook JSON inside: the name says it is not a notebook
    for call in (lambda: document.get_link(path), lambda: document.set_link(path, LINK)):
        with pytest.raises(InvalidInput) as err:
            call()
        assert "not a notebook" in err.value.message
    assert path.read_bytes() == content


def test_a_directory_is_invalid_and_a_missing_file_not_found(tmp_path: Path) -> None:
    (tmp_path / "dir.ipynb").mkdir()
    with pytest.raises(InvalidInput):
        document.set_link(tmp_path / "dir.ipynb", LINK)
    with pytest.raises(NotFound) as err:
        document.set_link(tmp_path / "missing.ipynb", LINK)
    assert "missing.ipynb" in err.value.message
    assert not (tmp_path / "missing.ipynb").exists()
    with pytest.raises(NotFound):
        document.remove_link(tmp_path / "missing.ipynb")


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o755])
def test_writes_keep_mode_bits_and_leave_no_temp_files(
    tmp_path: Path, make_notebook: Callable[..., Path], mode: int
) -> None:
    path = make_notebook(tmp_path / "a.ipynb")
    path.chmod(mode)
    inode = path.stat().st_ino
    document.set_link(path, LINK)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    document.remove_link(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ipynb"]


def test_a_symlinked_notebook_is_written_through(tmp_path: Path, make_notebook: Callable[..., Path]) -> None:
    target = make_notebook(tmp_path / "real" / "a.ipynb")
    link = tmp_path / "link.ipynb"
    link.symlink_to(target)
    document.set_link(link, LINK)
    assert link.is_symlink()
    assert document.get_link(target) == LINK


def test_link_json_round_trip_and_bad_values() -> None:
    assert NotebookLink.from_json(LINK.to_json()) == LINK
    assert LINK.to_json()["issue"]["number"] == 7
    with pytest.raises(InvalidInput):
        NotebookLink.from_json({"issue": {"tracker": "local", "number": "seven"}})
    with pytest.raises(InvalidInput):
        NotebookLink.from_json(None)
    assert document.link_from_metadata({}) is None
    assert document.link_from_metadata({"jupyter_dsl": LINK.to_json()}) == LINK


def test_duplicate_json_keys_edit_what_parsers_read(tmp_path: Path) -> None:
    path = tmp_path / "dup.ipynb"
    original = b'{"cells": [], "metadata": {"a": 1}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    path.write_bytes(original)
    document.set_link(path, LINK)
    assert document.get_link(path) == LINK
    assert b"jupyter_dsl" in only_inserted(original, path.read_bytes())
    assert document.remove_link(path) is True
    assert path.read_bytes() == original
    stale = json.dumps({"issue": {"tracker": "local", "number": 1, "type": None, "title": "old"}})
    doubled = (
        '{"cells": [], "metadata": {"jupyter_dsl": ' + stale + ', "jupyter_dsl": ' + stale + ', "k": 1}, '
        '"nbformat": 4, "nbformat_minor": 5}'
    )
    path.write_text(doubled)
    assert document.remove_link(path) is True
    assert json.loads(path.read_bytes())["metadata"] == {"k": 1}
    assert b"jupyter_dsl" not in path.read_bytes()


def test_setting_the_same_link_again_does_not_touch_the_file(
    tmp_path: Path, make_notebook: Callable[..., Path]
) -> None:
    path = make_notebook(tmp_path / "a.ipynb")
    document.set_link(path, LINK)
    before = path.stat()
    document.set_link(path, LINK)
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    from jupyter_dsl.project.atomic_write import write_text_atomic

    path = tmp_path / "f.txt"
    path.write_text("old\r\n", newline="")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "new \ud800")  # a lone surrogate cannot be encoded: fails mid-write
    assert path.read_bytes() == b"old\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
    write_text_atomic(path, "a\r\nb\n")
    assert path.read_bytes() == b"a\r\nb\n"  # line breaks written as given


def test_edit_writes_only_a_splice_that_reads_back_as_asked(
    tmp_path: Path, make_notebook: Callable[..., Path]
) -> None:
    path = make_notebook(tmp_path / "a.ipynb")
    original = path.read_bytes()

    def new_version(text: str, node: nbformat.NotebookNode) -> tuple[str, int]:
        metadata = json_splice.scan_object(text, 0).member("metadata")
        assert metadata is not None
        info = json_splice.scan_object(text, metadata.value_start).member("language_info")
        assert info is not None
        language = json_splice.scan_object(text, info.value_start)
        return json_splice.set_member(text, language, "version", "3.12"), len(node.cells)

    with pytest.raises(InvalidInput, match="cannot edit the version in place"):
        document.edit(path, new_version, verify=lambda node: False, what="the version")
    assert path.read_bytes() == original  # verify said no: nothing written

    def break_it(text: str, node: nbformat.NotebookNode) -> tuple[str, None]:
        top = json_splice.scan_object(text, 0)
        return json_splice.set_member(text, top, "cells", "not a list"), None

    with pytest.raises(InvalidInput, match="not a valid notebook"):
        document.edit(path, break_it, verify=lambda node: True, what="cells")
    assert path.read_bytes() == original  # a result nbformat refuses is never written

    def unscannable(text: str, node: nbformat.NotebookNode) -> tuple[str, None]:
        json_splice.scan_array(text, 0)  # the document is an object: json_splice says ValueError
        return text, None

    with pytest.raises(InvalidInput, match="cannot edit cells in place"):
        document.edit(path, unscannable, verify=lambda node: True, what="cells")

    def is_new(node: nbformat.NotebookNode) -> bool:
        return bool(node.metadata.language_info.version == "3.12")

    assert document.edit(path, new_version, verify=is_new, what="the version") == 3  # splice's result
    assert path.read_bytes() == original.replace(b'"version": "3.11"', b'"version": "3.12"')
