"""Time reading the corrections log from git: one pass for the whole knowledge base
(:func:`build_tools.render.history.read_history`) against one ``git log`` per claim.

    python3 bench/bench_history.py                  # 1,000 claims, 300 commits
    python3 bench/bench_history.py --claims 200 --commits 50

Writes a git repository under bench/out/history-N/ from a fixed seed: N claim files added in
one commit, then C commits that each change the verdict, certainty or statement of 5 claims
(and the rationale of one, which is not a correction).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.render import history  # noqa: E402

VERDICTS = ["accurate", "mostly-accurate", "overstated", "unproven", "inaccurate"]
LEVELS = ["high", "moderate", "low", "very-low"]
CLAIM = """statement: Claim number {i} says walking helps, version {s}.
topics: [walking]
appearances:
  - source: shop2024
    quote: Walking helps
    cites: []
    promotional: false
evidence: []
verdict: {verdict}
certainty: {level}
rationale: Rationale {r}.
reviewed: 2024-05-01
bottom_line: Walking may help.
"""


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def generate(n: int, commits: int) -> Path:
    repo = ROOT / "bench" / "out" / f"history-{n}-{commits}"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "claims").mkdir(parents=True)
    rng = random.Random(11)
    state = [{"i": i, "s": 0, "verdict": rng.choice(VERDICTS), "level": rng.choice(LEVELS),
              "r": 0} for i in range(n)]

    def write(i: int) -> None:
        (repo / "claims" / f"claim-{i:05d}.yml").write_text(CLAIM.format(**state[i]),
                                                             encoding="utf-8")

    for i in range(n):
        write(i)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "all claims", date="2024-01-01T00:00:00+00:00")
    for c in range(commits):
        for i in rng.sample(range(n), 5):
            what = rng.choice(["verdict", "level", "s"])
            if what == "s":
                state[i]["s"] += 1
            else:
                pool = VERDICTS if what == "verdict" else LEVELS
                state[i][what] = rng.choice([x for x in pool if x != state[i][what]])
            write(i)
        state[rng.randrange(n)]["r"] += 1
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"review {c}",
             date=f"2024-{1 + c * 11 // commits:02d}-15T{c % 24:02d}:00:00+00:00")
    return repo


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--claims", type=int, default=1000)
    p.add_argument("--commits", type=int, default=300)
    args = p.parse_args()
    repo = generate(args.claims, args.commits)

    history._BLOBS.clear()
    history._HISTORIES.clear()
    t = time.perf_counter()
    h = history.read_history(repo)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    history.read_history(repo)
    warm = time.perf_counter() - t

    t = time.perf_counter()
    for path in sorted((repo / "claims").glob("*.yml")):
        subprocess.run(["git", "-C", str(repo), "log", "--follow", "-p", "--format=%H %cI %s",
                        "--", f"claims/{path.name}"], check=True, capture_output=True)
    per_claim = time.perf_counter() - t

    print(f"{args.claims} claims, {args.commits} commits, {len(h.changes)} changes found")
    print(f"read_history, first build:        {cold:6.2f} s")
    print(f"read_history, rebuild (same HEAD): {warm:6.3f} s")
    print(f"one git log per claim (no parsing): {per_claim:6.2f} s")


if __name__ == "__main__":
    main()
