"""BibTeX as real libraries write it, after bibtexparser v2's one concern per module: files
(:mod:`.files`), the tables of fields and types (:mod:`.fields`), values (:mod:`.values`),
entries to sources (:mod:`.entries`), and macros and crossref across files (:mod:`.macros`)."""
