"""Heatmaps of matrices as PNG (matplotlib, Agg backend, imported only when drawing)."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from codeer.synthesis.matrix_data import MatrixError

if TYPE_CHECKING:
    from codeer.synthesis.matrix import Matrix


def _fmt(value: float, share: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1f}" if share else f"{int(value)}"


def heatmap_png(
    matrix: Matrix,
    title: str | None = None,
    label_rows: bool = False,
    transpose: bool | None = None,
) -> bytes:
    """The matrix cells (no totals) as a heatmap with the value written in every cell.

    The figure grows with the number of rows and columns so labels stay readable; long
    labels are shortened. *label_rows* shows code labels instead of keys. *transpose*
    ``None`` (auto) puts cases on the vertical axis when there are many more cases than
    codes (40 gemeenten side by side would shrink every label to nothing).
    """
    if matrix.kind == "framework":
        raise MatrixError("a framework matrix holds quotes, not numbers: it cannot be plotted")
    import matplotlib

    matplotlib.use("Agg")  # no display needed, and never a GUI window
    import matplotlib.pyplot as plt
    import numpy as np

    data = matrix.data
    values = data.to_numpy(dtype=float)
    rows = [(matrix.labels.get(k, str(k)) if label_rows else str(k))[:40] for k in data.index]
    cols = [str(c)[:30] for c in data.columns]
    if transpose is None:
        transpose = len(cols) > 12 and len(cols) > 2 * len(rows)
    if transpose:
        values, rows, cols = values.T, cols, rows
    n_rows, n_cols = max(len(rows), 1), max(len(cols), 1)
    font = 9 if n_cols <= 20 and n_rows <= 30 else 7
    char = font / 72 * 0.62  # inches per label character, roughly
    left = 0.3 + char * max((len(r) for r in rows), default=4)
    bottom = 0.3 + 0.71 * char * max((len(c) for c in cols), default=4)  # 45 degrees
    cell_w, cell_h = (0.5, 0.32) if font == 9 else (0.42, 0.26)
    width = min(left + cell_w * n_cols + 1.1, 40)
    height = min(bottom + cell_h * n_rows + 0.6, 60)

    fig = plt.figure(figsize=(width, height), dpi=100)
    try:
        ax = fig.add_axes(
            (left / width, bottom / height, 1 - (left + 1.1) / width, 1 - (bottom + 0.6) / height)
        )
        cax = fig.add_axes(
            (1 - 0.9 / width, bottom / height, 0.15 / width, 1 - (bottom + 0.6) / height)
        )
        shown = np.nan_to_num(values, nan=0.0) if values.size else np.zeros((1, 1))
        image = ax.imshow(shown, cmap="Blues", aspect="auto", vmin=0, interpolation="nearest")
        ax.set_xticks(
            range(len(cols)), cols, rotation=45, ha="right", fontsize=font, rotation_mode="anchor"
        )
        ax.set_yticks(range(len(rows)), rows, fontsize=font)
        top = float(np.nanmax(values)) if values.size and not np.isnan(values).all() else 0.0
        share = matrix.value == "share"
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                dark = top > 0 and not math.isnan(v) and v > 0.6 * top
                ax.text(
                    j,
                    i,
                    _fmt(v, share),
                    ha="center",
                    va="center",
                    fontsize=font - 1,
                    color="white" if dark else "black",
                )
        ax.set_title(title or matrix.name, fontsize=font + 2)
        bar = fig.colorbar(image, cax=cax)
        if not share:  # counts: no 0.5 ticks
            from matplotlib.ticker import MaxNLocator

            bar.locator = MaxNLocator(integer=True)
            bar.update_ticks()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def write_heatmap(matrix: Matrix, path: Path) -> Path:
    """Write the heatmap to *path* (PNG)."""
    if path.suffix.lower() != ".png":
        raise MatrixError(f"--plot writes PNG; {path.name!r} does not end in .png")
    from codeer.store.files import write_bytes_atomic

    write_bytes_atomic(path, heatmap_png(matrix))
    return path
