"""Evidence knowledge base: claims from web articles, checked against their sources.

Pipeline: :mod:`build_tools.loading` (files to YAML nodes and BibTeX entries) ->
:mod:`build_tools.validate` (nodes to typed records) -> :mod:`build_tools.link`
(cross-references, quotes, verdict rules) -> :mod:`build_tools.flags` (computed flags) ->
:mod:`build_tools.render` (Markdown pages). :mod:`build_tools.knowledge_base` runs them in order.
"""

__version__ = "0.1.0"
