"""Cross-case summaries of sub-themes: how widely each occurs and where it concentrates.

Built on a clustering (:mod:`codeer.synthesis.cluster`): per theme, every sub-theme with the
number of cases (gemeenten) it occurs in out of all N cases of the project, its quotes, and
the groups (SES, positionering, teamtype) in which it is clearly more common, each with a
Fisher exact test on cases. Rendering to Markdown and HTML is in
:mod:`codeer.synthesis.summary_text`; both are extractive and template-built (no language
model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeer.synthesis.model import (
    ALPHA,
    GROUP_ATTRIBUTES,
    ClusterError,
    GroupContrast,
    SubTheme,
    ThemeClustering,
    ThemeSummary,
)
from codeer.synthesis.summary_text import LANGS, summary_html, summary_markdown

if TYPE_CHECKING:
    import spacy

    from codeer.store.project import Project

__all__ = [
    "GroupContrast",
    "SubTheme",
    "ThemeSummary",
    "summarise_clustering",
    "summarise_project",
    "summary_html",
    "summary_markdown",
]

#: A sub-theme "concentrates" in a group when it occurs in at least this many of the
#: group's cases and its share there is at least this much higher than in the other cases.
MIN_CASES_IN_GROUP = 2
MIN_SHARE_DIFFERENCE = 0.3


def group_contrasts(
    cases_with: set[str],
    all_cases: list[str],
    case_attributes: dict[str, dict[str, str]],
    attributes: list[str],
) -> list[GroupContrast]:
    """Groups in which *cases_with* is clearly over-represented, lowest p first.

    For each value of each attribute: a 2x2 table of cases with / without the sub-theme,
    in the group / in all other cases (cases without the attribute count as "other"),
    and Fisher's exact test on it. Only groups passing MIN_CASES_IN_GROUP and
    MIN_SHARE_DIFFERENCE are returned; the p-value is reported, not used as a filter,
    because with a few dozen cases hardly anything is significant and the reader should
    see the pattern together with its uncertainty. The text calls a difference "vaker"
    only when p is below the summary's alpha (:mod:`codeer.synthesis.summary_text`).
    """
    from scipy.stats import fisher_exact

    result = []
    for attribute in attributes:
        values = sorted({a[attribute] for a in case_attributes.values() if attribute in a})
        for value in values:
            group = {c for c in all_cases if case_attributes.get(c, {}).get(attribute) == value}
            rest = set(all_cases) - group
            a = len(cases_with & group)
            c = len(cases_with & rest)
            b, d = len(group) - a, len(rest) - c
            if not group or not rest or a < MIN_CASES_IN_GROUP:
                continue
            if a / len(group) - c / len(rest) < MIN_SHARE_DIFFERENCE:
                continue
            odds, p = fisher_exact([[a, b], [c, d]], alternative="two-sided")
            result.append(
                GroupContrast(attribute, value, a, len(group), c, len(rest), float(p), float(odds))
            )
    return sorted(result, key=lambda g: (g.p_value, g.attribute, g.value))


def summarise_clustering(
    result: ThemeClustering, lang: str = "nl", alpha: float = ALPHA
) -> ThemeSummary:
    """The summary numbers of one clustered theme (*alpha*: level for "vaker")."""
    present = {key for attrs in result.case_attributes.values() for key in attrs}
    attributes = [a for a in GROUP_ATTRIBUTES if a in present and a != result.by]
    subthemes = [
        SubTheme(
            c.number,
            c.label,
            c.size,
            c.cases,
            c.quotes,
            c.spread,
            group_contrasts(set(c.cases), result.cases_total, result.case_attributes, attributes),
        )
        for c in result.clusters
    ]
    return ThemeSummary(
        theme=result.theme,
        theme_label=result.theme_label,
        by=result.by,
        n_cases_total=len(result.cases_total),
        theme_cases=result.theme_cases,
        n_fragments=len(result.fragments),
        subthemes=subthemes,
        tested_attributes=attributes,
        run_id=result.run_id,
        k=result.k,
        k_requested=result.k_requested,
        seed=result.seed,
        status=result.status,
        note=result.note,
        lang=lang,
        alpha=alpha,
        coder=result.coder,
    )


def summarise_project(
    project: Project,
    status: str = "accepted",
    by: str = "gemeente",
    lang: str = "nl",
    seed: int = 0,
    *,
    code: str | None = None,
    k: int | str = "auto",
    nlp: spacy.Language | None = None,
    store: bool = True,
    coder: str | None = None,
    alpha: float = ALPHA,
) -> list[ThemeSummary]:
    """Cluster every theme (or *code*), store the runs, and summarise them across cases.

    This is the entry point for ``codeer summary``, the report and ``codeer run``; render
    the result with :func:`summary_markdown` or :func:`summary_html`. *coder* keeps one
    coder's codings; *alpha* is the significance level below which a difference between
    groups is worded as one ("vaker"), else as "geen duidelijk verschil".
    """
    from codeer.synthesis.cluster import cluster_project

    if lang not in LANGS:
        raise ClusterError(f"unknown language {lang!r}", hint=f"use one of: {', '.join(LANGS)}")
    if not 0 < alpha < 1:
        raise ClusterError(f"--alpha must be between 0 and 1, not {alpha}", hint="e.g. 0.05")
    results = cluster_project(
        project,
        code=code,
        k=k,
        status=status,
        seed=seed,
        by=by,
        nlp=nlp,
        store=store,
        coder=coder,
    )
    return [summarise_clustering(r, lang, alpha) for r in results]
