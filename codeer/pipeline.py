"""``codeer run``: the whole job, non-interactive, from a transcripts folder to outputs.

Steps: create (or reopen) the project in the output folder, import the transcripts (a
metadata file next to them is found by itself), code them with the given or the shipped
codebook, and write ``segments.csv``, ``summary.md``, the report, the matrices and
``subthemes.md`` (the sub-theme summaries the report shows).
Re-running on the same folder is safe: unchanged transcripts are skipped, coding is
idempotent and reviewed decisions are never touched, so outputs are simply refreshed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from codeer.ingest.importer import FileOutcome, ImportReport, import_paths
from codeer.ingest.limits import DEFAULT_LIMITS, Limits
from codeer.store.codings import CodingRow, select_codings, write_codings_csv
from codeer.store.files import write_atomic, write_text_atomic
from codeer.store.project import Project


@dataclass
class RunResult:
    """What ``run`` did and where it put things."""

    project: Path
    imported: ImportReport
    coded: object  # codeer.coding.suggest.CodeResult
    files: list[Path] = field(default_factory=list)
    status: str = "all"


def run_pipeline(
    transcripts: Path,
    out: Path,
    *,
    codebook: Path | None = None,
    meta: Path | None = None,
    n_process: int = 1,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_step: Callable[[str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    title: str | None = None,
) -> RunResult:
    """Run import -> code -> outputs; raise CodeerError for a bad codebook or metadata file.

    Bad transcript files are reported through *on_file* and skipped; the caller decides
    the exit code from ``result.imported.ok``. The output folder, when it lies inside the
    transcripts folder, is skipped (with a message through *on_file*): a second run must
    not import the first run's report.md and summary.md as interviews. *title* is the
    report's title (default: "Rapport: " plus the codebook's name).
    """
    from codeer.coding.codebook import load_codebook
    from codeer.coding.suggest import code_project
    from codeer.report.outputs import write_outputs

    step = on_step or (lambda message: None)
    # Check the codebook before anything is written: a malformed one codes nothing.
    book = load_codebook(codebook)
    out.mkdir(parents=True, exist_ok=True)
    with Project.init(out) as project:
        step(f"Importing {transcripts} into the project in {out} ...")
        imported = import_paths(
            project, [transcripts], meta=meta, on_file=on_file, limits=limits, exclude=[out]
        )
        step("Coding respondent sentences with the codebook ...")
        coded = code_project(project, book, n_process=n_process, progress=progress)
        step("Writing segments, summary, matrices, sub-themes and report ...")
        # Nothing has been reviewed in a fresh run, so outputs show every code that
        # currently applies: decisions where a coder made them, suggestions elsewhere.
        # The report, matrices and subthemes.md settle on the same status themselves
        # (accepted once something is reviewed, else all with a banner).
        rows = select_codings(project.con, status="all")
        files = [_write_segments(out / "segments.csv", rows)]
        files.append(_write_summary(out / "summary.md", rows, project))
        files += write_outputs(project, out, title=title)
    return RunResult(out, imported, coded, files)


def _write_segments(path: Path, rows: list[CodingRow]) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as stream:
            write_codings_csv(rows, stream)

    write_atomic(path, write)  # like every other output: whole or not at all
    return path


def _write_summary(path: Path, rows: list[CodingRow], project: Project) -> Path:
    """Suggestions per theme x gemeente, and the most frequent evidence per code."""
    from codeer.store.safe_output import markdown_text
    from codeer.synthesis.matrix import case_matrix
    from codeer.synthesis.matrix_export import to_markdown

    documents = project.con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    lines = [
        "# codeer run: summary",
        "",
        f"{documents} documents, {len(rows)} codings (suggestions not yet reviewed count "
        "as codings here; review them with `codeer review`).",
        "",
        "## Codings per theme x gemeente",
        "",
    ]
    try:
        matrix = case_matrix(project, by=("gemeente",), status="all", level="top")
        lines.append(to_markdown(matrix))
    except Exception as exc:  # e.g. no documents carry a gemeente: say so, keep going
        lines.append(f"(no matrix: {exc})\n")
    lines += ["## Most frequent evidence per code", ""]
    evidence: dict[str, Counter[str]] = {}
    for row in rows:
        counter = evidence.setdefault(row.code, Counter())
        for item in row.evidence:
            words = item.get("words") if isinstance(item, dict) else str(item)
            if words:
                counter[str(words).lower()] += 1
    lines += ["| code | codings | most frequent evidence |", "|---|---:|---|"]
    totals = Counter(row.code for row in rows)
    for code, counter in sorted(evidence.items(), key=lambda item: -totals[item[0]]):
        # Evidence is transcript text: no HTML from it may form in the Markdown.
        top = markdown_text(", ".join(f"{words} ({n})" for words, n in counter.most_common(8)))
        lines.append(f"| {code} | {totals[code]} | {top.replace('|', '/')} |")
    write_text_atomic(path, "\n".join(lines) + "\n")
    return path
