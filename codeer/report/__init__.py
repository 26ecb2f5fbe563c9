"""Reports: a self-contained HTML file and a Markdown variant, plus ``write_outputs``.

Importing this package is cheap; pandas and matplotlib load only when a report is built.
"""

from __future__ import annotations

from codeer.report.outputs import write_outputs, write_report

__all__ = ["write_outputs", "write_report"]
