"""Coding: the codebook, the Dutch pipeline, and explained suggestions.

:mod:`codebook` and :mod:`codebook_check` read and validate YAML codebooks; :mod:`nlp`
builds the spaCy pipeline (model or fallback); :mod:`lexicon`, :mod:`pattern_index`,
:mod:`matching` and :mod:`evidence` find patterns in sentences and explain them;
:mod:`suggest` runs a codebook over a project and :mod:`suggestion_store` stores the result;
:mod:`evaluate` scores suggestions against a hand coding.
"""
