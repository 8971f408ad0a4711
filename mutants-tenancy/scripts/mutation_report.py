"""The score of `make mutate`, per mutated module, read from mutmut's results in mutants/.

Killed / total per module: a mutant that survived, timed out, found no test or was not run
counts as not killed. Every mutant not killed must be explained in
docs/mutation-survivors.md as a bullet

    - `<mutant name>` (`<text of the mutated line>`): why it changes nothing a user meets.

The quoted text is checked against the mutant's diff, so an entry stops counting when a change
of the function renumbers its mutants. Exit 1 while a mutant is unexplained (its diff is
printed), 2 when there are no results. Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS_DOC = ROOT / "docs" / "mutation-survivors.md"
# mutmut's exit codes (mutmut/stats.py): 1 and 3 are failing tests, 37 the type checker.
KILLED_CODES = {1, 3, 37}
STATUS = {
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    None: "not run",
}
# ``- `name` (`mutated text`): reason``; the text may be in double backticks.
ENTRY = re.compile(r"^- `(?P<name>[^`]+)`(?: \((?P<ticks>`+) ?(?P<text>.+?) ?(?P=ticks)\))?")


def mutated_files() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def module_of(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


# Another folder of results (a copy kept from an earlier run) with MUTATION_RESULTS.
MUTANTS = Path(os.environ.get("MUTATION_RESULTS", ROOT / "mutants"))


def load_results(path: str) -> dict[str, int | None]:
    meta = MUTANTS / f"{path}.meta"
    if not meta.exists():
        return {}
    return json.loads(meta.read_text())["exit_code_by_key"]


def status_of(code: int | None) -> str:
    if code in KILLED_CODES:
        return "killed"
    return STATUS.get(code, "suspicious")


def explained() -> dict[str, str | None]:
    """Mutant name → the mutated text its entry quotes (None when it quotes none)."""
    found: dict[str, str | None] = {}
    if SURVIVORS_DOC.exists():
        for line in SURVIVORS_DOC.read_text().splitlines():
            match = ENTRY.match(line.strip())
            if match:
                found[match["name"]] = match["text"]
    return found


def diff_of(name: str, path: str) -> str:
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # only when a diff is needed

    here = Path.cwd()
    try:
        os.chdir(MUTANTS.parent)  # mutmut reads the mutant from mutants/ under the cwd
        return get_diff_for_mutant(name, path=path)
    except Exception as error:  # a report must still print when a diff cannot be read
        return f"(diff illisible : {error})"
    finally:
        os.chdir(here)


def added_lines(diff: str) -> str:
    return "\n".join(
        " ".join(line[1:].split())
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", help="only this module (dotted, as MODULE= of make mutate)")
    parser.add_argument("--table", action="store_true", help="the table only, in Markdown")
    args = parser.parse_args()

    files = [p for p in mutated_files() if not args.module or module_of(p) == args.module]
    rows, not_killed = [], []
    for path in files:
        results = load_results(path)
        counts = Counter(status_of(code) for code in results.values())
        total, killed = len(results), counts["killed"]
        rows.append((module_of(path), killed, total, counts))
        not_killed += [
            (name, path, status_of(code))
            for name, code in sorted(results.items())
            if status_of(code) != "killed"
        ]
    if not any(total for _, _, total, _ in rows):
        print("Aucun résultat de mutmut dans mutants/ : lancez d'abord `make mutate`.")
        return 2

    if args.table:
        print("| Module | Killed / total | Score | Not run |\n|---|---|---|---|")
        for name, killed, total, counts in rows:
            score = f"{100 * killed / total:.1f} %" if total else "-"
            print(f"| `{name}` | {killed} / {total} | {score} | {counts['not run']} |")
        return 0

    width = max(len(name) for name, *_ in rows)
    print(f"{'module'.ljust(width)}  killed / total      %  survived  timeout  no tests")
    all_killed = all_total = 0
    for name, killed, total, counts in rows:
        all_killed, all_total = all_killed + killed, all_total + total
        score = f"{100 * killed / total:5.1f}" if total else "    -"
        print(
            f"{name.ljust(width)}  {killed:6} / {total:<5}  {score}  {counts['survived']:8}"
            f"  {counts['timeout']:7}  {counts['no tests']:8}"
        )
    if all_total:
        print(
            f"{'all'.ljust(width)}  {all_killed:6} / {all_total:<5}  "
            f"{100 * all_killed / all_total:5.1f}"
        )

    doc = explained()
    unexplained = []
    not_run = [name for name, _path, status in not_killed if status == "not run"]
    if not_run:
        print(f"\n{len(not_run)} mutants not run (an interrupted run): `make mutate` runs them.")
    for name, path, status in not_killed:
        if status == "not run":
            continue
        quoted = doc.get(name, "")
        diff = diff_of(name, path) if quoted is not None else ""
        if name not in doc or (quoted and " ".join(quoted.split()) not in added_lines(diff)):
            unexplained.append((name, path, status, diff or diff_of(name, path)))
    print(
        f"\n{len(not_killed) - len(not_run)} mutants not killed, "
        f"{len(not_killed) - len(not_run) - len(unexplained)} explained in "
        f"{SURVIVORS_DOC.relative_to(ROOT)}."
    )
    for name, _path, status, diff in unexplained:
        print(f"\n# {name}: {status}, not explained\n{diff}")
    return 1 if unexplained or not_run else 0


if __name__ == "__main__":
    sys.exit(main())
