"""Template-built text for theme summaries, in Dutch (default) or English.

Every number in the text comes straight from a :class:`codeer.synthesis.summary.ThemeSummary`; the
sentences are fixed templates, so the same data always gives the same text. Markdown is
for pasting into a report; the HTML fragment (escaped) is for ``codeer report``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codeer.synthesis.model import Fragment, GroupContrast, ThemeSummary

LANGS = ("nl", "en")
QUOTE_CHARS = 300

# Case nouns per --by attribute: (singular, plural) per language.
CASE_NOUNS = {
    "gemeente": {"nl": ("gemeente", "gemeenten"), "en": ("municipality", "municipalities")},
    "wijk": {"nl": ("wijk", "wijken"), "en": ("neighbourhood", "neighbourhoods")},
    "regio": {"nl": ("regio", "regio's"), "en": ("region", "regions")},
}
DEFAULT_NOUNS = {"nl": ("casus", "casussen"), "en": ("case", "cases")}
ATTRIBUTE_NAMES = {
    "ses": {"nl": "SES", "en": "SES"},
    "positionering": {"nl": "positionering", "en": "positioning"},
    "teamtype": {"nl": "teamtype", "en": "team type"},
}

TEXT = {
    "nl": {
        "theme": "Thema: {label}",
        "intro": (
            "Over dit thema {verb} {n_fragments} {fragments} gecodeerd, afkomstig uit "
            "{n_theme} van de {n_total} {cases}."
        ),
        "split": "Ze vallen uiteen in {k} subthema's ({run}).",
        "one": "Alle fragmenten vormen één groep: {reason} ({run}).",
        "reason_few": "te weinig fragmenten om subthema's te onderscheiden",
        "reason_asked": "er is om één subthema gevraagd",
        "reason_same": "de fragmenten delen geen inhoudswoorden waarop ze te onderscheiden zijn",
        "run_auto": "clusterrun {run}, aantal subthema's automatisch gekozen, seed {seed}",
        "run_fixed": "clusterrun {run}, {k} {subthemes} gevraagd, seed {seed}",
        "subtheme": ("subthema", "subthema's"),
        "coder_only": "Alleen de coderingen van codeur {coder}.",
        "run_unstored": "niet opgeslagen",
        "occurs": "Komt voor in {n} van de {total} {cases} ({n_fragments} {fragments}).",
        "contrast": (
            "Vaker in {cases} met {attribute} ‘{value}’ ({a} van de {group}) dan in de "
            "overige {cases} ({c} van de {rest}; Fisher, {p})."
        ),
        "no_difference": (
            "Geen duidelijk verschil tussen {cases} met {attribute} ‘{value}’ ({a} van de "
            "{group}) en de overige {cases} ({c} van de {rest}; Fisher, {p}; niet "
            "significant bij α = {alpha})."
        ),
        "no_contrast": "Geen duidelijke concentratie in één groep ({attributes}).",
        "caveat": (
            "Let op: met N={n} {cases} is dit indicatief, niet toetsend. De p-waarden "
            "(Fisher, tweezijdig, per groep tegen de rest) zijn niet gecorrigeerd voor het "
            "aantal vergelijkingen. Een verschil heet alleen ‘vaker’ bij p < {alpha}."
        ),
        "caveat_large": (
            "De p-waarden (Fisher, tweezijdig, per groep tegen de rest) zijn niet "
            "gecorrigeerd voor het aantal vergelijkingen. Een verschil heet alleen ‘vaker’ "
            "bij p < {alpha}."
        ),
        "quotes": "Citaten:",
        "fragment": ("fragment", "fragmenten"),
        "verb": ("is", "zijn"),
        "and": "en",
        "empty": "Geen gecodeerde fragmenten gevonden.",
    },
    "en": {
        "theme": "Theme: {label}",
        "intro": (
            "{n_fragments} {fragments} {verb} coded with this theme, from {n_theme} of the "
            "{n_total} {cases}."
        ),
        "split": "They fall into {k} sub-themes ({run}).",
        "one": "All fragments form one group: {reason} ({run}).",
        "reason_few": "too few fragments to tell sub-themes apart",
        "reason_asked": "one sub-theme was requested",
        "reason_same": "the fragments share no content words that tell them apart",
        "run_auto": "cluster run {run}, number of sub-themes chosen automatically, seed {seed}",
        "run_fixed": "cluster run {run}, {k} {subthemes} requested, seed {seed}",
        "subtheme": ("sub-theme", "sub-themes"),
        "coder_only": "Only the codings of coder {coder}.",
        "run_unstored": "not stored",
        "occurs": "Occurs in {n} of the {total} {cases} ({n_fragments} {fragments}).",
        "contrast": (
            "More common in {cases} with {attribute} ‘{value}’ ({a} of {group}) than in the "
            "other {cases} ({c} of {rest}; Fisher, {p})."
        ),
        "no_difference": (
            "No clear difference between {cases} with {attribute} ‘{value}’ ({a} of "
            "{group}) and the other {cases} ({c} of {rest}; Fisher, {p}; not significant "
            "at α = {alpha})."
        ),
        "no_contrast": "No clear concentration in one group ({attributes}).",
        "caveat": (
            "Note: with N={n} {cases} this is indicative, not a test. The p-values (Fisher, "
            "two-sided, each group against the rest) are not corrected for multiple "
            "comparisons. A difference is called ‘more common’ only at p < {alpha}."
        ),
        "caveat_large": (
            "The p-values (Fisher, two-sided, each group against the rest) are not corrected "
            "for multiple comparisons. A difference is called ‘more common’ only at "
            "p < {alpha}."
        ),
        "quotes": "Quotes:",
        "fragment": ("fragment", "fragments"),
        "verb": ("was", "were"),
        "and": "and",
        "empty": "No coded fragments found.",
    },
}


def case_nouns(by: str, lang: str) -> tuple[str, str]:
    """(singular, plural) for the case attribute in *lang*."""
    return CASE_NOUNS.get(by, {}).get(lang) or DEFAULT_NOUNS[lang]


def _p_value(value: float, lang: str) -> str:
    """``p = 0,005`` / ``p < 0,001``: three decimals, a decimal comma in Dutch."""
    text = "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
    return text.replace(".", ",") if lang == "nl" else text


def _plural(n: int, forms: tuple[str, str]) -> str:
    return forms[0] if n == 1 else forms[1]


def _number(value: float, lang: str) -> str:
    """A level such as 0.05 as written in *lang* (``0,05`` in Dutch)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The fragment on one line, cut at a word boundary after *limit* characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    flat = re.sub(r"^[A-Z][\w .-]{0,30}:\s+", "", flat)  # a leading speaker label ("R: ")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def _attribute_list(names: list[str], lang: str) -> str:
    shown = [ATTRIBUTE_NAMES.get(a, {}).get(lang, a) for a in names]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {TEXT[lang]['and']} " + shown[-1]


def _run_text(summary: ThemeSummary, lang: str) -> str:
    t = TEXT[lang]
    if summary.run_id is None:
        return t["run_unstored"]
    key = "run_auto" if summary.k_requested == "auto" else "run_fixed"
    subthemes = _plural(
        int(summary.k) if key == "run_auto" else int(summary.k_requested), t["subtheme"]
    )
    return t[key].format(
        run=f"#{summary.run_id}", k=summary.k_requested, seed=summary.seed, subthemes=subthemes
    )


def _one_group_reason(summary: ThemeSummary) -> str:
    """Why a theme was not split, as a TEXT key."""
    from codeer.synthesis.model import MIN_FRAGMENTS

    if str(summary.k_requested) == "1":
        return "reason_asked"
    return "reason_few" if summary.n_fragments < MIN_FRAGMENTS else "reason_same"


def _contrast(g: GroupContrast, cases: str, lang: str, alpha: float) -> str:
    """ "Vaker in ..." only when Fisher's p is below *alpha*; else "Geen duidelijk verschil"."""
    key = "contrast" if g.significant(alpha) else "no_difference"
    return TEXT[lang][key].format(
        cases=cases,
        attribute=ATTRIBUTE_NAMES.get(g.attribute, {}).get(lang, g.attribute),
        value=g.value,
        a=g.with_in_group,
        group=g.group_size,
        c=g.with_in_rest,
        rest=g.rest_size,
        p=_p_value(g.p_value, lang),
        alpha=_number(alpha, lang),
    )


def _paragraphs(summary: ThemeSummary, lang: str):
    """The theme as (kind, payload) items, shared by the Markdown and HTML renderers."""
    t = TEXT[lang]
    singular, plural = case_nouns(summary.by, lang)
    yield "h2", t["theme"].format(label=summary.theme_label)
    intro = t["intro"].format(
        n_fragments=summary.n_fragments,
        fragments=_plural(summary.n_fragments, t["fragment"]),
        verb=_plural(summary.n_fragments, t["verb"]),
        n_theme=summary.n_cases_theme,
        n_total=summary.n_cases_total,
        cases=_plural(summary.n_cases_total, (singular, plural)),
    )
    run = _run_text(summary, lang)
    if summary.k > 1:
        intro += " " + t["split"].format(k=summary.k, run=run)
    else:
        intro += " " + t["one"].format(reason=t[_one_group_reason(summary)], run=run)
    if summary.coder:
        intro += " " + t["coder_only"].format(coder=summary.coder)
    yield "p", intro
    tested = False
    for sub in summary.subthemes:
        if summary.k > 1:
            yield "h3", f"{sub.number}. {sub.label}"
        lines = [
            t["occurs"].format(
                n=sub.n_cases,
                total=summary.n_cases_total,
                cases=_plural(summary.n_cases_total, (singular, plural)),
                n_fragments=sub.n_fragments,
                fragments=_plural(sub.n_fragments, t["fragment"]),
            )
        ]
        if summary.tested_attributes:
            tested = True
            if sub.contrasts:
                lines += [_contrast(g, plural, lang, summary.alpha) for g in sub.contrasts]
            else:
                attrs = _attribute_list(summary.tested_attributes, lang)
                lines.append(t["no_contrast"].format(attributes=attrs))
        yield "p", " ".join(lines)
        if sub.quotes:
            yield "quotes", sub.quotes
    if tested:
        key = "caveat" if summary.small_numbers else "caveat_large"
        yield (
            "caveat",
            t[key].format(
                n=summary.n_cases_total, cases=plural, alpha=_number(summary.alpha, lang)
            ),
        )


def _source(quote: Fragment) -> str:
    return quote.case if quote.case == quote.document else f"{quote.case}, {quote.document}"


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup (or raw HTML) in data.

    Kept minimal so pasted text stays readable: ``_`` inside a word and ``<`` before a
    space (``p < 0,001``) are left alone, since Markdown reads neither as markup.
    """
    text = re.sub(r"([\\`*\[\]])", r"\\\1", text)
    text = re.sub(r"(?<![^\W_])_|_(?![^\W_])", r"\\_", text)
    return re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)


def _levels(level: int, theme_heading: bool) -> dict[str, int | None]:
    """Heading level per item kind: the theme at *level*, sub-themes one below."""
    if theme_heading:
        return {"h2": level, "h3": min(level + 1, 6)}
    return {"h2": None, "h3": level}


def _blocks(
    summary: ThemeSummary, lang: str, levels: dict[str, int | None], render: dict[str, Any]
) -> Iterator[str]:
    """The theme's items through *render* (one function per kind; ``h`` takes the level).

    A heading whose level is None (the theme heading inside the report) is left out.
    """
    for kind, payload in _paragraphs(summary, lang):
        if kind not in levels:
            yield render[kind](payload)
        elif levels[kind] is not None:
            yield render["h"](payload, levels[kind])


def _md_quotes(quotes: list[Fragment]) -> str:
    lines = (f"> “{md_escape(short_quote(q.text))}” ({md_escape(_source(q))})" for q in quotes)
    return "\n>\n".join(lines) + "\n"


_MARKDOWN = {
    "h": lambda text, level: f"{'#' * level} {md_escape(text)}\n",
    "p": lambda text: f"{md_escape(text)}\n",
    "caveat": lambda text: f"*{md_escape(text)}*\n",
    "quotes": _md_quotes,
}
_HTML = {
    "h": lambda text, level: f"<h{level}>{html.escape(text)}</h{level}>",
    "p": lambda text: f"<p>{html.escape(text)}</p>",
    "caveat": lambda text: f'<p class="caveat"><em>{html.escape(text)}</em></p>',
    "quotes": lambda quotes: "\n".join(
        f"<blockquote><p>“{html.escape(short_quote(q.text))}”</p>"
        f"<footer>{html.escape(_source(q))}</footer></blockquote>"
        for q in quotes
    ),
}


def summary_markdown(
    summaries: list[ThemeSummary], lang: str = "nl", *, level: int = 2, theme_heading: bool = True
) -> str:
    """The summaries as Markdown: per theme a heading at *level* (``##``), sub-themes below.

    Inside a document that already has a heading per theme (the report), pass
    ``theme_heading=False`` and the sub-theme heading level.
    """
    if not summaries:
        return TEXT[lang]["empty"] + "\n"
    levels = _levels(level, theme_heading)
    out = [b for summary in summaries for b in _blocks(summary, lang, levels, _MARKDOWN)]
    return "\n".join(out).rstrip() + "\n"


def summary_html(
    summaries: list[ThemeSummary], lang: str = "nl", *, level: int = 2, theme_heading: bool = True
) -> str:
    """The summaries as an HTML fragment (every text escaped) for a report page.

    Headings as in :func:`summary_markdown` (``<h2>`` per theme, ``<h3>`` per sub-theme).
    """
    esc = html.escape
    levels = _levels(level, theme_heading)
    out = [f'<div class="codeer-summary" lang="{esc(lang)}">']
    if not summaries:
        out.append(f"<p>{esc(TEXT[lang]['empty'])}</p>")
    for summary in summaries:
        out.append(f'<section class="theme" id="theme-{esc(summary.theme)}">')
        out.extend(_blocks(summary, lang, levels, _HTML))
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out) + "\n"
