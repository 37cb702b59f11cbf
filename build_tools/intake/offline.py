"""What an editor can do when a record cannot be fetched: the variable that points the command at
another address, or the entry typed by hand with ``new source``."""

from __future__ import annotations

from build_tools.core import net

OFFLINE_ENV = {"doi": net.CROSSREF_ENV, "pmid": net.NCBI_ENV, "pmcid": net.NCBI_ENV}
"""The variable holding the address each identifier's records are fetched from."""


def offline_fallback(field_name: str) -> str:
    """The rest of the one-line message of a fetch that could not reach its host."""
    env = OFFLINE_ENV.get(field_name, net.CROSSREF_ENV)
    return (f"set {env} to a mirror's address if the service is reached through one; without a "
            "network, type the entry from the record you have: python -m build_tools new source "
            "--key KEY --design DESIGN --title \"...\" (then fill in author, journal, year, "
            f"volume, pages and {field_name} in the entry it writes)")
