"""Synthesis: theme matrices, sub-theme clustering and cross-case summaries.

:mod:`matrix_data` loads coded spans with case attributes; :mod:`matrix`,
:mod:`matrix_framework` and :mod:`matrix_export` build and write matrices; :mod:`cluster`,
:mod:`cluster_features`, :mod:`cluster_method` and :mod:`cluster_store` find and store
sub-themes; :mod:`summary` and :mod:`summary_text` turn them into text. The shared types
live in :mod:`model`.
"""
