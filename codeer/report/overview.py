"""Facts for the report's overview and method sections, read from the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeer.store.codings import MACHINE_CODER, code_paths

if TYPE_CHECKING:
    from codeer.store.project import Project


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


def _n(value: int, one: str, many: str) -> str:
    return f"{value} {one if value == 1 else many}"


def facts(project: Project, status: str, status_text: str, by: tuple[str, ...]) -> list:
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
        attrs.append(f"{key} ({n_docs} documenten, {n_values} waarden: {shown})")
    items.append(("Kenmerken", "; ".join(attrs) or "geen"))
    items.append(("Cases (kolommen)", " × ".join(by)))

    coders = []
    for coder, n in con.execute(
        "SELECT coder, COUNT(*) FROM codings WHERE status != 'suggested' AND coder != ? "
        "GROUP BY coder ORDER BY coder",
        (MACHINE_CODER,),
    ):
        coders.append(f"{coder} ({_n(n, 'beslissing', 'beslissingen')})")
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
                f"versie {book[1][:12]} uit {book[2]}, geladen {book[3]}, "
                f"{_n(book[4], 'code', 'codes')} "
                f"({_n(versions, 'versie', 'versies')} in het project)",
            )
        )
    else:
        items.append(("Codeboek", "nog geen codeboek geladen"))

    (suggested,) = con.execute("SELECT COUNT(*) FROM codings WHERE status = 'suggested'").fetchone()
    (reviewed,) = con.execute(
        "SELECT COUNT(*) FROM codings c WHERE c.status = 'suggested' AND EXISTS (SELECT 1 FROM "
        "codings d WHERE d.suggestion_id = c.id AND d.status != 'suggested')"
    ).fetchone()
    decisions = dict(
        con.execute(
            "SELECT status, COUNT(*) FROM codings WHERE suggestion_id IS NOT NULL "
            "AND status != 'suggested' GROUP BY status"
        ).fetchall()
    )
    (manual,) = con.execute("SELECT COUNT(*) FROM codings WHERE status = 'manual'").fetchone()
    pct = f" ({reviewed / suggested * 100:.0f}%)" if suggested else ""
    items.append(
        (
            "Beoordeling",
            f"{reviewed} van {suggested} suggesties beoordeeld{pct}: "
            f"{decisions.get('accepted', 0)} keer geaccepteerd, "
            f"{decisions.get('rejected', 0)} keer afgewezen; "
            f"{_n(manual, 'handmatige codering', 'handmatige coderingen')}",
        )
    )
    items.append(("Geteld", f"{status_text} (--status {status})"))
    return items


def method_facts(status: str, status_text: str) -> list[tuple[str, str]]:
    """How the numbers were made, for readers who want to check them."""
    return [
        ("Welke coderingen", f"{status_text} (--status {status})."),
        (
            "Aantal",
            "het aantal gecodeerde fragmenten (coderingen); codeert een tweede codeur "
            "hetzelfde fragment, dan telt het twee keer, zoals in `codeer segments`.",
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
            f"`codeer matrix --status {status} --level top` en `codeer segments --status "
            f"{status} --format jsonl` geven dezelfde aantallen.",
        ),
    ]
