"""`make mutate-hot`: the mutants of the modules every test passes through, against the tests
written for their rules.

The tenancy listeners, the access trail, the record guard, the policy, the row scopes, the
access log and the date helpers run in nearly every one of the suite's 1,300 tests: with
`make mutate`, each surviving mutant of theirs runs them all (several minutes on one core),
and a full run never reached the end of them. Here they are mutated in a copy of the
repository (`mutants-hot/`, git-ignored) whose mutmut configuration selects the tests that
state those rules: tests/rules, the route sweeps (other structure, other team, role matrix
against the README's table), the tenancy, access-trail, record-table, locked-write and
access-log tests, the visibility tables. The score is then read as usual, from that folder:

    MUTATION_RESULTS=mutants-hot/mutants .venv/bin/python scripts/mutation_report.py

The same way, ``--set domain`` (``make mutate-domain``, folder ``mutants-domain/``) runs the
rule modules of the salarié's file (contracts, PASS IAE, sortie, attendance, entretiens)
against the tests of those features and of tests/rules: a full ``make mutate`` runs their
most expensive mutants against the whole suite, which takes hours on two cores. A survivor
there may still be killed by a test elsewhere; the score is a lower bound.

``--set tenancy`` (folder ``mutants-tenancy/``) runs the tenancy module alone against the
tests of isolation (tenancy, locked writes, database, the space's sweep): its listeners run in
every test, and with the hot selection each survivor took minutes. Also a lower bound.

Usage: scripts/mutate_hot.py [--set hot|domain|tenancy] [--max-children N] [MUTANT_NAME_PATTERN ...]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOT = [
    "siae_app/permissions/policy.py",
    "siae_app/permissions/scopes.py",
    "siae_app/tenancy/__init__.py",
    "siae_app/services/employees/dates.py",
    "siae_app/services/employees/access_log.py",
    "siae_app/access_trail.py",
    "siae_app/records.py",
]
RULE_TESTS = [
    "tests/rules",
    "tests/test_tenancy.py",
    "tests/test_team_scope.py",
    "tests/test_route_matrix.py",
    "tests/test_readme_roles.py",
    "tests/test_access_trail.py",
    "tests/test_locked_writes.py",
    "tests/test_security.py",
    "tests/database",
    "tests/employees/test_access_log.py",
    "tests/employees/test_access_log_rows.py",
    "tests/employees/test_visibility.py",
    "tests/employees/test_limits.py",
    "tests/diagnostic/test_visibility.py",
    "tests/reviews/test_documents.py",  # a downloaded copy with sensitive items is marked
    "tests/reviews/test_preview.py",
]


DOMAIN = [
    "siae_app/services/employees/contracts.py",
    "siae_app/services/employees/pass_iae.py",
    "siae_app/services/employees/exits.py",
    "siae_app/services/attendance.py",
    "siae_app/services/interviews.py",
]
DOMAIN_TESTS = [
    "tests/rules",
    "tests/employees",
    "tests/attendance",
    "tests/interviews",
    "tests/funding",
    "tests/test_export_formulas.py",
    "tests/test_locked_writes.py",
    "--deselect=tests/employees/test_demo.py",
    "--deselect=tests/attendance/test_reference.py",
]
# The tenancy listeners alone, against the tests of isolation: a surviving mutant of theirs
# runs these few hundred tests, not the whole hot selection (whose run never reached them).
TENANCY = ["siae_app/tenancy/__init__.py"]
TENANCY_TESTS = [
    "tests/rules/test_tenancy.py",
    "tests/test_tenancy.py",
    "tests/test_locked_writes.py",
    "tests/database",
    "tests/personal_space/test_sweep.py",
    "tests/test_cli.py",  # activate_system_checked: the commands that span structures
]
SETS = {
    "hot": (HOT, RULE_TESTS),
    "domain": (DOMAIN, DOMAIN_TESTS),
    "tenancy": (TENANCY, TENANCY_TESTS),
}


def _toml_list(values: list[str]) -> str:
    return "[\n" + "".join(f'    "{v}",\n' for v in values) + "]"


def configured(text: str, modules: list[str] = HOT, tests: list[str] = RULE_TESTS) -> str:
    """pyproject.toml with ``modules`` mutated and ``tests`` selected."""
    text = re.sub(r"only_mutate = \[[^\]]*\]", f"only_mutate = {_toml_list(modules)}", text)
    return re.sub(
        r"pytest_add_cli_args_test_selection = \[[^\]]*\]",
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
        text,
    )


def prepare(work: Path, modules: list[str], tests: list[str]) -> None:
    """A fresh copy of the tracked files in ``work``, the configuration changed."""
    shutil.rmtree(work, ignore_errors=True)
    git = shutil.which("git") or "git"
    listed = subprocess.run(  # noqa: S603 - a fixed command
        [git, "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    )
    files = listed.stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    vendor = ROOT / "siae_app" / "static" / "vendor"  # installed by make, not tracked
    if vendor.is_dir():
        shutil.copytree(vendor, work / "siae_app" / "static" / "vendor", dirs_exist_ok=True)
    pyproject = work / "pyproject.toml"
    pyproject.write_text(configured(pyproject.read_text(), modules, tests))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="hot")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    work = ROOT / f"mutants-{args.set}"
    prepare(work, *SETS[args.set])
    mutmut = ROOT / ".venv" / "bin" / "mutmut"
    command = [str(mutmut), "run", "--max-children", str(args.max_children), *args.names]
    with (work / "mutants.log").open("w") as log:
        done = subprocess.run(  # noqa: S603 - our own mutmut, our arguments
            command, cwd=work, stdout=log, stderr=subprocess.STDOUT
        )
    print(f"mutmut : code {done.returncode} (journal : {work / 'mutants.log'})")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
