"""Reading transcripts: file formats, speaker turns, roles and case attributes."""
