"""Facts for the report's overview and method sections, read from the store.

Also the texts that must be the same wherever they appear (the status in words, the
warning banner), the review progress behind the banner, and the report's title. No
machine path is ever shown: the codebook source appears as its file name only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from codeer.store.codings import MACHINE_CODERS, code_paths
from codeer.synthesis.model import ALPHA

if TYPE_CHECKING:
    from codeer.store.project import Project

STATUS_TEXT = {
    "accepted": "geaccepteerde en handmatige coderingen (beoordeeld door een codeur)",
    "suggested": "alleen nog niet beoordeelde suggesties van codeer",
    "all": "geaccepteerde en handmatige coderingen plus nog niet beoordeelde suggesties",
}
FALLBACK_BANNER = (
    "Let op: er zijn nog geen beoordeelde coderingen. Dit rapport is gebaseerd op de "
    "suggesties van codeer, die nog niet door een onderzoeker zijn gecontroleerd. "
    "Beoordeel ze met `codeer review` en maak het rapport opnieuw."
)
SUGGESTIONS_BANNER = (
    "Let op: de aantallen in dit rapport tellen ook suggesties van codeer die nog niet "
    "door een onderzoeker zijn beoordeeld (--status {status})."
)
PARTIAL_BANNER = (
    "Let op: nog niet alle suggesties zijn beoordeeld. De aantallen tellen alleen wat een "
    "codeur heeft geaccepteerd of zelf gecodeerd; wat nog wacht, telt niet mee en kan de "
    "verhoudingen nog veranderen."
)


def n_text(value: int, one: str, many: str) -> str:
    """``1 document``, ``2 documenten``: the number with the right form of the noun."""
    return f"{value} {one if value == 1 else many}"


_n = n_text


def file_name(source: str) -> str:
    """The last part of a path, POSIX or Windows (``C:\\x\\book.yaml`` -> ``book.yaml``)."""
    if "\\" in source or re.match(r"^[A-Za-z]:", source):
        return PureWindowsPath(source).name
    return PurePosixPath(source).name


@dataclass(frozen=True)
class ReviewProgress:
    """How many of the machine's suggestions a coder (or anyone) has decided."""

    suggested: int
    reviewed: int
    coder: str | None = None

    @property
    def complete(self) -> bool:
        return self.reviewed >= self.suggested

    def percent(self) -> int:
        """Rounded down, so that 99.6% never reads as 100%."""
        return math.floor(self.reviewed / self.suggested * 100) if self.suggested else 100

    def text(self) -> str:
        by = f" door {self.coder}" if self.coder else ""
        suggestions = n_text(self.suggested, "suggestie", "suggesties")
        return f"{self.reviewed} van {suggestions} beoordeeld{by} ({self.percent()}%)."


def review_progress(project: Project, coder: str | None = None) -> ReviewProgress:
    """Suggestions and how many have a decision (by *coder*, when it is a person).

    The consensus coder decides no suggestions, so for it (and without a coder) a
    suggestion counts as reviewed when any coder decided it.
    """
    from codeer.store.coders import CONSENSUS_CODER

    con = project.con
    (suggested,) = con.execute("SELECT COUNT(*) FROM codings WHERE status = 'suggested'").fetchone()
    sql = (
        "SELECT COUNT(*) FROM codings c WHERE c.status = 'suggested' AND EXISTS (SELECT 1 FROM "
        "codings d WHERE d.suggestion_id = c.id AND d.status != 'suggested'{})"
    )
    if coder and coder != CONSENSUS_CODER:
        (reviewed,) = con.execute(sql.format(" AND d.coder = ?"), (coder,)).fetchone()
        return ReviewProgress(suggested, reviewed, coder)
    (reviewed,) = con.execute(sql.format("")).fetchone()
    return ReviewProgress(suggested, reviewed)


def review_banner(status: str, fallback: bool, progress: ReviewProgress) -> str | None:
    """The warning at the top, or None when every number rests on reviewed codings only.

    There is a banner whenever a number counts undecided suggestions (``all``,
    ``suggested``) or not every suggestion has been reviewed; it says how much is.
    """
    if fallback:
        return f"{FALLBACK_BANNER} {progress.text()}"
    if status in ("all", "suggested"):
        return f"{SUGGESTIONS_BANNER.format(status=status)} {progress.text()}"
    if not progress.complete:
        return f"{PARTIAL_BANNER} {progress.text()}"
    return None


def report_title(project: Project, title: str | None = None) -> str:
    """*title* as given, else "Rapport: " plus the codebook's name, else "Rapport".

    Never the folder name: a folder such as ``out`` or ``tmp3x9`` says nothing.
    """
    if title and title.strip():
        return " ".join(title.split())
    row = project.con.execute(
        "SELECT source, content FROM codebooks ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return "Rapport"
    found = re.search(r"^name:[ \t]*['\"]?([^'\"\n#]+?)['\"]?[ \t]*(?:#.*)?$", row[1], re.M)
    if found:
        return f"Rapport: {found.group(1)}"
    name = file_name(row[0] or "")
    if name.lower().endswith((".yaml", ".yml")):
        return f"Rapport: {name.rsplit('.', 1)[0]}"
    return "Rapport"


def code_path(project: Project, key: str) -> list[str]:
    """The key's path (theme first) in the newest codebook that defines it."""
    return _paths(project).get(key, [key])


def _paths(project: Project) -> dict[str, list[str]]:
    # Cached on the project object: the report asks for many keys.
    cached = getattr(project, "_report_paths", None)
    if cached is None:
        cached = code_paths(project.con)
        project._report_paths = cached  # type: ignore[attr-defined]
    return cached


def definitions(project: Project) -> dict[str, str]:
    """Key -> definition from the newest codebook that defines each key."""
    result: dict[str, str] = {}
    for key, text in project.con.execute(
        "SELECT key, definition FROM codes ORDER BY codebook_id DESC"
    ):
        result.setdefault(key, text)
    return result


def facts(
    project: Project,
    status: str,
    status_text: str,
    by: tuple[str, ...],
    coder: str | None = None,
) -> list:
    """Label/value pairs: documents, attributes, coders, codebook, review progress."""
    con = project.con
    (documents,) = con.execute("SELECT COUNT(*) FROM documents").fetchone()
    items: list[tuple[str, str]] = [("Documenten", str(documents))]

    attrs = []
    for key, n_docs, n_values in con.execute(
        "SELECT key, COUNT(*), COUNT(DISTINCT value) FROM attributes GROUP BY key ORDER BY key"
    ):
        values = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT value FROM attributes WHERE key = ? ORDER BY value LIMIT 6",
                (key,),
            )
        ]
        shown = ", ".join(values[:5]) + (", …" if n_values > 5 else "")
        attrs.append(
            f"{key} ({_n(n_docs, 'document', 'documenten')}, "
            f"{_n(n_values, 'waarde', 'waarden')}: {shown})"
        )
    items.append(("Kenmerken", "; ".join(attrs) or "geen"))
    items.append(("Cases (kolommen)", " × ".join(by)))

    coders = []
    for name, n in con.execute(
        "SELECT coder, COUNT(*) FROM codings WHERE status IN ('accepted', 'rejected', 'manual')"
        " AND coder NOT IN (?, ?) GROUP BY coder ORDER BY coder",
        MACHINE_CODERS,
    ):
        coders.append(f"{name} ({_n(n, 'beslissing', 'beslissingen')})")
    items.append(("Codeurs", ", ".join(coders) or "nog niemand"))

    book = con.execute(
        "SELECT b.id, b.hash, b.source, b.loaded_at, COUNT(c.key) FROM codebooks b "
        "LEFT JOIN codes c ON c.codebook_id = b.id GROUP BY b.id ORDER BY b.id DESC LIMIT 1"
    ).fetchone()
    (versions,) = con.execute("SELECT COUNT(*) FROM codebooks").fetchone()
    if book:
        items.append(
            (
                "Codeboek",
                f"versie {book[1][:12]} uit {file_name(book[2] or '')}, geladen {book[3]}, "
                f"{_n(book[4], 'code', 'codes')} "
                f"({_n(versions, 'versie', 'versies')} in het project)",
            )
        )
    else:
        items.append(("Codeboek", "nog geen codeboek geladen"))

    progress = review_progress(project)
    suggested, reviewed = progress.suggested, progress.reviewed
    decisions = dict(
        con.execute(
            "SELECT status, COUNT(*) FROM codings WHERE suggestion_id IS NOT NULL "
            "AND status != 'suggested' GROUP BY status"
        ).fetchall()
    )
    (manual,) = con.execute("SELECT COUNT(*) FROM codings WHERE status = 'manual'").fetchone()
    pct = f" ({progress.percent()}%)" if suggested else ""
    items.append(
        (
            "Beoordeling",
            (
                f"{reviewed} van {_n(suggested, 'suggestie', 'suggesties')} beoordeeld{pct}: "
                if suggested
                else "geen suggesties van codeer: "
            )
            + f"{decisions.get('accepted', 0)} keer geaccepteerd, "
            f"{decisions.get('rejected', 0)} keer afgewezen; "
            f"{_n(manual, 'handmatige codering', 'handmatige coderingen')}",
        )
    )
    counted = f"{status_text} (--status {status})"
    if coder:
        counted += f"; alleen codeur {coder} (--coder {coder})"
    else:
        counted += "; van alle codeurs, elk fragment één keer per code"
    items.append(("Geteld", counted))
    return items


def method_facts(
    status: str, status_text: str, coder: str | None = None, alpha: float = ALPHA
) -> list[tuple[str, str]]:
    """How the numbers were made, for readers who want to check them."""
    only = f" --coder {coder}" if coder else ""
    level = f"{alpha:g}".replace(".", ",")
    who = f"alleen de coderingen van {coder}" if coder else "de coderingen van alle codeurs"
    return [
        ("Welke coderingen", f"{status_text} (--status {status}); {who}."),
        (
            "Aantal",
            "het aantal gecodeerde fragmenten: een fragment telt één keer per code, ook als "
            "meer codeurs het coderen (`codeer segments` geeft één rij per codeur).",
        ),
        ("Aanwezigheid", "1 als de case ten minste één codering van het thema heeft."),
        (
            "Aandeel",
            "het percentage zinnen (eenheden) van respondenten in de case dat door ten "
            "minste één codering van het thema wordt geraakt.",
        ),
        (
            "Samen voorkomen",
            "het aantal eenheden (of documenten) waarin beide thema's gecodeerd zijn.",
        ),
        (
            "Citaten",
            "representatief = hoogste score, dan het langste fragment, dan het eerste "
            "(documentnaam, positie); posities zijn tekenposities in het document.",
        ),
        (
            "Reproduceren",
            f"`codeer matrix --status {status}{only} --level top` geeft dezelfde aantallen; "
            f"`codeer segments --status {status}{only} --format jsonl` de rijen eronder "
            "(één per codeur).",
        ),
        (
            "Verschillen tussen groepen",
            f"‘vaker’ alleen als Fisher's exacte toets p < {level} geeft (--alpha); anders "
            "‘geen duidelijk verschil’, met de p-waarde.",
        ),
    ]
