"""The shared types of synthesis: coded fragments, clusters and theme summaries.

They live here, below the modules that compute them (:mod:`codeer.synthesis.cluster`,
:mod:`codeer.synthesis.cluster_method`, :mod:`codeer.synthesis.summary`) and the ones that
store or render them (:mod:`codeer.synthesis.cluster_store`,
:mod:`codeer.synthesis.summary_text`), so that none of those imports another in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codeer.errors import CodeerError

#: Below this many fragments a theme is one cluster: there is nothing to split reliably.
MIN_FRAGMENTS = 6
#: Attributes whose spread over groups is reported, when the documents have them.
GROUP_ATTRIBUTES = ("ses", "positionering", "teamtype")


class ClusterError(CodeerError):
    """Nothing to cluster, or a bad clustering parameter."""


@dataclass
class Fragment:
    """One distinct coded span of a theme (several codings of one span count once)."""

    document: str
    start: int
    end: int
    text: str
    case: str
    codes: list[str]


@dataclass
class Cluster:
    """One sub-theme proposed by the clustering."""

    number: int  # 1-based; 1 is the largest
    label: str  # label words (as written in the fragments) joined with " / "
    lemmas: list[str]
    size: int  # number of fragments
    cases: list[str]  # sorted cases it occurs in
    quotes: list[Fragment]
    spread: dict[str, dict[str, int]]  # attribute -> value -> number of cases

    @property
    def n_cases(self) -> int:
        return len(self.cases)


@dataclass
class ThemeClustering:
    """The clustering of one theme, plus what is needed to read and cite it."""

    theme: str
    theme_label: str
    fragments: list[Fragment]
    assignments: list[int]  # cluster number per fragment
    similarities: list[float]  # cosine to own cluster centre per fragment
    clusters: list[Cluster]
    k: int
    k_requested: str | int
    seed: int
    status: str
    by: str
    cases_total: list[str]  # every case in the project (the N of "x of N")
    case_attributes: dict[str, dict[str, str]]  # case -> group attribute -> value
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    run_id: int | None = None
    codebook: dict[str, Any] | None = None
    coder: str | None = None  # only this coder's codings; None: every coder's

    @property
    def theme_cases(self) -> list[str]:
        return sorted({f.case for f in self.fragments})

    def to_dict(self) -> dict[str, Any]:
        """The json output: run, clusters, and every fragment with its cluster."""
        return {
            "run": self.run_id,
            "theme": self.theme,
            "theme_label": self.theme_label,
            "status": self.status,
            "coder": self.coder,
            "by": self.by,
            "seed": self.seed,
            "k_requested": self.k_requested,
            "k": self.k,
            "n_fragments": len(self.fragments),
            "n_cases": len(self.theme_cases),
            "n_cases_total": len(self.cases_total),
            "codebook": self.codebook,
            "params": self.params,
            "note": self.note,
            "clusters": [
                {
                    "cluster": c.number,
                    "label": c.label,
                    "lemmas": c.lemmas,
                    "size": c.size,
                    "n_cases": c.n_cases,
                    "cases": c.cases,
                    "spread": c.spread,
                    "quotes": [
                        {
                            "document": q.document,
                            "case": q.case,
                            "start": q.start,
                            "end": q.end,
                            "text": q.text,
                        }
                        for q in c.quotes
                    ],
                }
                for c in self.clusters
            ],
            "fragments": [
                {
                    "document": f.document,
                    "start": f.start,
                    "end": f.end,
                    "case": f.case,
                    "codes": f.codes,
                    "cluster": a,
                }
                for f, a in zip(self.fragments, self.assignments, strict=True)
            ],
        }


#: Below this many cases every test is flagged as indicative only.
SMALL_N = 30
#: The default significance level: a difference is called "vaker" only below it.
ALPHA = 0.05


@dataclass
class GroupContrast:
    """A sub-theme more common in one group of cases than in the rest (2x2 on cases)."""

    attribute: str
    value: str
    with_in_group: int  # cases in the group where the sub-theme occurs
    group_size: int
    with_in_rest: int
    rest_size: int
    p_value: float  # Fisher's exact test, two-sided
    odds_ratio: float

    @property
    def share_in_group(self) -> float:
        return self.with_in_group / self.group_size if self.group_size else 0.0

    @property
    def share_in_rest(self) -> float:
        return self.with_in_rest / self.rest_size if self.rest_size else 0.0

    def significant(self, alpha: float) -> bool:
        """Whether the text may call the difference real ("vaker"): p below *alpha*."""
        return self.p_value < alpha


@dataclass
class SubTheme:
    """One cluster as the summary reports it."""

    number: int
    label: str
    n_fragments: int
    cases: list[str]
    quotes: list[Fragment]
    spread: dict[str, dict[str, int]]
    contrasts: list[GroupContrast] = field(default_factory=list)

    @property
    def n_cases(self) -> int:
        return len(self.cases)


@dataclass
class ThemeSummary:
    """Everything the text of one theme says, as numbers (so tests can check them)."""

    theme: str
    theme_label: str
    by: str
    n_cases_total: int  # N: all cases in the project
    theme_cases: list[str]
    n_fragments: int
    subthemes: list[SubTheme]
    tested_attributes: list[str]
    run_id: int | None
    k: int
    k_requested: str | int
    seed: int
    status: str
    note: str = ""
    lang: str = "nl"
    alpha: float = ALPHA  # significance level for the wording of contrasts
    coder: str | None = None

    @property
    def n_cases_theme(self) -> int:
        return len(self.theme_cases)

    @property
    def small_numbers(self) -> bool:
        return self.n_cases_total < SMALL_N

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for json output and tests)."""
        return {
            "theme": self.theme,
            "theme_label": self.theme_label,
            "run": self.run_id,
            "by": self.by,
            "status": self.status,
            "coder": self.coder,
            "alpha": self.alpha,
            "n_cases_total": self.n_cases_total,
            "n_cases_theme": self.n_cases_theme,
            "n_fragments": self.n_fragments,
            "subthemes": [
                {
                    "number": s.number,
                    "label": s.label,
                    "n_fragments": s.n_fragments,
                    "n_cases": s.n_cases,
                    "cases": s.cases,
                    "contrasts": [
                        {**vars(c), "significant": c.significant(self.alpha)} for c in s.contrasts
                    ],
                }
                for s in self.subthemes
            ],
        }
