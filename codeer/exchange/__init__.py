"""Reading and writing other tools' formats: REFI-QDA projects (.qdpx) and codebooks (.qdc).

- :mod:`codeer.exchange.refi` holds what both directions share: namespaces, stable GUIDs,
  the packaged XSDs, the deterministic zip writer, and the codebook <-> REFI code mapping.
- :mod:`codeer.exchange.qdc` converts codebooks to and from a REFI ``.qdc`` file.
- :mod:`codeer.exchange.qdpx_export` writes a project as a ``.qdpx``;
  :mod:`codeer.exchange.qdpx_import` reads one made by ATLAS.ti, MAXQDA, NVivo,
  QualCoder or codeer, with :mod:`codeer.exchange.positions` mapping each tool's way of
  counting characters onto codeer's stored text.

See docs/exchange.md for what crosses over and what is lost.
"""
