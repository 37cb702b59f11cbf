"""Rendering the knowledge base as Markdown pages and data files, independent of MkDocs."""

from build_tools.render.site import SiteSettings, render_site

__all__ = ["SiteSettings", "render_site"]
