"""Evidence knowledge base: claims from web articles, checked against their sources.

:mod:`build_tools.knowledge_base` runs the stages of :mod:`build_tools.stages` in order (find,
read, validate, link, flag, cover) over the records of :mod:`build_tools.model`;
:mod:`build_tools.render` turns the result into Markdown pages and data files for any builder;
:mod:`build_tools.plugin` hands them to MkDocs; :mod:`build_tools.cli` is the command line.
CONTRIBUTING.md's architecture section maps every folder.
"""

__version__ = "0.1.0"
