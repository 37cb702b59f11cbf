"""The site's configuration, mkdocs.yml, read as MkDocs reads it but without MkDocs, for the
commands that run outside a build (``check``, ``render --out``)."""
