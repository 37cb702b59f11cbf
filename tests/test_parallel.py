""":func:`build_tools.core.parallel.map_in_two`: the same results, in order, whether a forked child
computes part of them, dies, or cannot be used; and a knowledge base loaded with a second
process is the one loaded without."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import CLAIM, KB

from build_tools import knowledge_base
from build_tools.core import parallel


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even on a one-core machine, so the tests mean the same everywhere."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)


def pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_a_child_computes_the_last_items_and_the_order_is_kept(forking: None) -> None:
    out = parallel.map_in_two(pid_and_square, list(range(10)))
    assert [sq for _, sq in out] == [x * x for x in range(10)]
    pids = [pid for pid, _ in out]
    assert pids[0] == os.getpid()
    assert pids[-1] != os.getpid(), "no child computed anything"
    assert pids == sorted(pids, key=lambda p: p != os.getpid()), "the child's items are not last"


def test_the_child_takes_about_half_the_weight(forking: None) -> None:
    out = parallel.map_in_two(pid_and_square, list(range(5)), weights=[8, 1, 1, 1, 5])
    here = [x for x, (pid, _) in enumerate(out) if pid == os.getpid()]
    assert here == [0], "the heavy first item alone is about half"


def test_too_little_work_stays_in_this_process(forking: None) -> None:
    out = parallel.map_in_two(pid_and_square, list(range(10)), weights=[1] * 10, min_work=11)
    assert {pid for pid, _ in out} == {os.getpid()}


def test_a_child_that_dies_is_replaced_by_this_process(forking: None) -> None:
    parent = os.getpid()

    def dies_in_the_child(x: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return x + 1

    assert parallel.map_in_two(dies_in_the_child, list(range(6))) == list(range(1, 7))


def test_an_error_here_is_raised_and_the_child_is_reaped(forking: None) -> None:
    def fails_on_zero(x: int) -> int:
        if x == 0:
            raise ValueError("zero")
        return x

    with pytest.raises(ValueError, match="zero"):
        parallel.map_in_two(fails_on_zero, list(range(6)))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, not even a zombie


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        out = parallel.map_in_two(pid_and_square, list(range(4)))
        assert {pid for pid, _ in out} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_a_load_in_two_processes_is_the_load_in_one(kb: KB, forking: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        kb.write(f"claims/walking-cures-{i}.yml",
                 CLAIM.replace("cures low back pain", f"cures low back pain ({i})"))
    kb.write("claims/broken.yml", "statement: [unclosed\n")
    kb.write("claims/Bad_Name.yml", CLAIM)
    kb.write("sources/more.bib", "@article{orphan2020,\n  title = {Nobody uses it},\n}\n")
    monkeypatch.setattr(knowledge_base, "BACKGROUND_MIN_WORK", 0)
    shared = knowledge_base.Loader(kb.root).load()
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    alone = knowledge_base.Loader(kb.root).load()
    assert shared.report.problems == alone.report.problems  # in the order found, too
    assert len(shared.report.problems) >= 3
    assert shared.claims == alone.claims
    assert shared.sources == alone.sources
    assert {k: c.as_json() for k, c in shared.coverage.items()} == \
        {k: c.as_json() for k, c in alone.coverage.items()}


def test_the_loader_shares_only_the_files_that_changed(
        kb: KB, forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = knowledge_base.map_in_two

    def spy(fn, items, weights=None, min_work=0.0):  # type: ignore[no-untyped-def]
        calls.append(sum(weights or []))
        return real(fn, items, weights, min_work)

    monkeypatch.setattr(knowledge_base, "map_in_two", spy)
    loader = knowledge_base.Loader(Path(kb.root))
    loader.load()
    loader.load()
    assert calls[0] > 0 and calls[1] == 0  # the second load has nothing to read
