"""The README is what a new user runs: keep it true.

- its two quick-start commands are exactly what CI (.ci/run) runs;
- every ``codeer`` command it shows exists in ``codeer --help``.
"""

from __future__ import annotations

import re

from tests.conftest import REPO


def _bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def test_quickstart_commands_are_what_ci_runs():
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    blocks = _bash_blocks(readme)
    main_job, tests = blocks[0].strip(), blocks[1].strip()
    assert main_job == "pip install . && codeer run transcripts --out out"
    assert 'pip install . && codeer run transcripts --out "$out"' in ci
    assert tests in ci.splitlines()


def test_every_command_in_the_readme_exists(cli):
    readme = (REPO / "README.md").read_text("utf-8")
    help_text = cli("--help").stdout
    available = set(re.findall(r"^\s{2}([a-z][a-z-]*)\s", help_text, flags=re.M))
    used = set(re.findall(r"^codeer ([a-z][a-z-]*)", "\n".join(_bash_blocks(readme)), flags=re.M))
    used |= set(re.findall(r"&& codeer ([a-z][a-z-]*)", readme))
    assert used, "the README shows no codeer commands"
    assert used <= available, f"README uses commands codeer lacks: {used - available}"
