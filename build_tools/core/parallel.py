"""Work shared with a second process, behind one function: :func:`map_in_two`; and
:func:`gc_paused`, for the long passes that make many objects and no garbage cycles.

Reading YAML and BibTeX records and rendering pages is pure Python (bibtexparser, the validator,
Jinja), so a second core helps only through a second process. Where one can be forked safely
and cheaply (:func:`can_fork`: Linux, two cores, no other thread) and there is enough work, a
forked child computes the last items, about half the work by weight, and sends its results back
pickled, while this process computes the others. Anywhere else, or if the child cannot start or
dies, this process computes every item itself: the results are the same either way, in order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


@contextlib.contextmanager
def gc_paused(keep: bool = False) -> Iterator[None]:
    """The cyclic garbage collector off for a pass that makes millions of small objects and
    keeps many (loading every record, rendering every page) but hardly makes reference cycles:
    it would walk the whole heap again and again (an eighth of a load at 10,000 claims, a fifth
    of a render). Reference counting still frees everything as soon as it is unused.

    With ``keep`` (the records of a load, kept for the rest of the run), what the pass made is
    moved out of the collector's sight (:func:`gc.freeze`) before it is turned on again: else
    its first pass walks every one of those objects (0.2 s after a load of 10,000 claims), and
    every full pass after it again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if collecting:
            gc.enable()


def can_fork() -> bool:
    """A forked child is cheap (no imports), safe and useful here: Linux, no thread, and a
    second core that other work is not already using.

    Anywhere else every item is computed in this process: a spawned child would re-import the
    caller's main module, forking a process that has threads (``mkdocs serve``) can deadlock,
    and on a machine whose cores are busy the child only adds its cost (measured: rendering
    10,000 claims took 34.7 s instead of 27.8 s with two other programs running).
    """
    if not sys.platform.startswith("linux") or threading.active_count() != 1 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]  # this process counts as about 1
    except OSError:  # pragma: no cover - Linux has it
        busy = 0.0
    return cores >= 2 and busy < cores - 0.5


def _split(weights: Sequence[float]) -> int:
    """The index from which the child's share (the last items) holds about half the weight."""
    half = sum(weights) / 2
    taken = 0.0
    k = len(weights)
    while k > 1 and taken + weights[k - 1] / 2 <= half:
        k -= 1
        taken += weights[k]
    return k


def map_in_two(fn: Callable[[T], R], items: Sequence[T], weights: Sequence[float] | None = None,
               min_work: float = 0.0) -> list[R]:
    """``[fn(item) for item in items]``, with a forked child computing the last items when the
    weights add up to ``min_work`` or more and :func:`can_fork`.

    ``fn`` must not depend on what this process does meanwhile (the child sees the memory as it
    was at the fork), and its results must pickle.
    """
    weights = list(weights) if weights is not None else [1.0] * len(items)
    if len(items) < 2 or sum(weights) < min_work or not can_fork():
        return [fn(item) for item in items]
    k = _split(weights)
    head_items, tail_items = items[:k], items[k:]
    for stream in (sys.stdout, sys.stderr):  # else the child would write them out again
        if stream is not None:
            stream.flush()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no processes here (a sandbox): compute everything in this one
        log.debug("cannot fork; computing every item here", exc_info=True)
        os.close(read_end)
        os.close(write_end)
        return [fn(item) for item in items]
    if pid == 0:  # the child: compute the tail, send it, and leave without cleaning up
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps([fn(item) for item in tail_items], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        head = [fn(item) for item in head_items]
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    tail: list[R] | None = None
    if status == 0:
        try:
            tail = pickle.loads(data)
        except Exception:  # pragma: no cover - a child that exits 0 has written it whole
            log.debug("the child's results cannot be read", exc_info=True)
    if tail is None or len(tail) != len(tail_items):
        log.debug("the child failed (status %s); computing its items here", status)
        tail = [fn(item) for item in tail_items]
    return head + tail
