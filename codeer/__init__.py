"""codeer: local qualitative coding of interview transcripts with Dutch NLP assistance."""

__version__ = "0.1.0"
