"""Write reports and matrix files: ``codeer report`` and the outputs of ``codeer run``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from codeer.store.files import write_text_atomic
from codeer.store.safe_output import entity_lt
from codeer.synthesis.matrix_data import MatrixError
from codeer.synthesis.model import ALPHA

if TYPE_CHECKING:
    from codeer.report.build import ReportContext
    from codeer.store.project import Project

REPORT_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def write_report(
    project: Project,
    path: Path,
    *,
    status: str | None = None,
    by: tuple[str, ...] | None = None,
    quotes: int = 3,
    coder: str | None = None,
    alpha: float = ALPHA,
    title: str | None = None,
) -> tuple[list[Path], ReportContext]:
    """Write the report to *path* (.html or .md); returns the files written and context.

    The Markdown variant writes its heatmaps into ``<stem>_figuren/`` next to it.
    *coder*, *alpha* and *title* as for :func:`codeer.report.build.build_report`.
    """
    from codeer.report.build import build_report

    fmt = REPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise MatrixError(
            f"cannot tell the report format from {path.name!r}",
            hint="use -o FILE.html or -o FILE.md",
        )
    report, ctx = build_report(
        project, status=status, by=by, quotes=quotes, coder=coder, alpha=alpha, title=title
    )
    return _write(report, path, fmt), ctx


def _write(report, path: Path, fmt: str) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        from codeer.report.html import render_html

        write_text_atomic(path, render_html(report))
        return [path]
    from codeer.report.markdown import render_markdown

    text, figures = render_markdown(report, figures=path.parent / f"{path.stem}_figuren")
    write_text_atomic(path, text)
    return [path, *figures]


def write_outputs(
    project: Project,
    out_dir: Path,
    status: str | None = None,
    *,
    coder: str | None = None,
    alpha: float = ALPHA,
    title: str | None = None,
) -> list[Path]:
    """Write report.html, report.md and the main matrices (csv + one xlsx) into *out_dir*.

    *status* ``None`` means accepted with fallback to all (as ``codeer report``); the
    matrices use the status the report settled on, so every file tells the same story.
    Files: ``matrix-count.csv``, ``matrix-presence.csv``, ``matrix-share.csv`` (when there
    are units), ``matrix-count-codes.csv``, ``cooccurrence.csv``, ``framework.csv``,
    ``matrices.xlsx`` with one sheet per matrix, and ``subthemes.md`` with the sub-theme
    summaries of every theme (the ones the report shows, computed once). *coder*,
    *alpha* and *title* as for :func:`codeer.report.build.build_report`.
    """
    from codeer.report.build import build_report, subthemes_markdown
    from codeer.synthesis.matrix_export import to_csv, write_xlsx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report, ctx = build_report(project, status=status, coder=coder, alpha=alpha, title=title)
    written = _write(report, out_dir / "report.html", "html")
    written += _write(report, out_dir / "report.md", "md")

    names = ["matrix-count", "matrix-presence"]
    names += ["matrix-share"] if ctx.has_units else []
    names += ["matrix-count-codes", "cooccurrence", "framework"]
    matrices = ctx.extra["matrices"]
    for name, matrix in zip(names, matrices, strict=True):
        path = out_dir / f"{name}.csv"
        write_text_atomic(path, to_csv(matrix))
        written.append(path)
    xlsx = out_dir / "matrices.xlsx"
    write_xlsx(matrices, xlsx)
    written.append(xlsx)
    subthemes = out_dir / "subthemes.md"
    # summary_markdown escapes HTML as "\\<"; as an entity it is safe in every viewer.
    write_text_atomic(subthemes, entity_lt(subthemes_markdown(ctx)))
    written.append(subthemes)
    return written
