"""HTTP for the intake commands: one place for base addresses, User-Agent, time-outs and errors.

Crossref and NCBI E-utilities are reached at the base addresses in ``KB_CROSSREF_API`` and
``KB_NCBI_API`` (tests point them at a server on 127.0.0.1). Every request says who sends it,
with a contact address, as both services ask: ``KB_CONTACT``, else the repository's
``git config user.email``. A request that cannot reach its host (no network, a refused
connection, a time-out) raises :class:`Offline`, which the commands report in one line with
exit code 2, before anything is written.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from build_tools import __version__
from build_tools.core.problems import CannotRun

log = logging.getLogger(__name__)

CROSSREF_ENV, CROSSREF_DEFAULT = "KB_CROSSREF_API", "https://api.crossref.org"
NCBI_ENV, NCBI_DEFAULT = "KB_NCBI_API", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CONTACT_ENV = "KB_CONTACT"
TIMEOUT_ENV, TIMEOUT_DEFAULT = "KB_HTTP_TIMEOUT", 20.0
PROJECT = "walking-lbp-evidence"
MAX_BYTES = 10_000_000
"""A response larger than this is refused: no record or article page is near it."""


class Offline(CannotRun):
    """The host cannot be reached: no network, a refused connection or a time-out."""


class NotFound(Exception):
    """The server answered 404: there is no such record."""


class ServiceError(CannotRun):
    """The server answered, but not with what was asked (an error status, or not JSON)."""


def crossref_base() -> str:
    return os.environ.get(CROSSREF_ENV, CROSSREF_DEFAULT).rstrip("/")


def ncbi_base() -> str:
    return os.environ.get(NCBI_ENV, NCBI_DEFAULT).rstrip("/")


def timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, TIMEOUT_DEFAULT))
    except ValueError:
        return TIMEOUT_DEFAULT


def contact() -> str | None:
    """Who to contact about these requests: ``KB_CONTACT``, else git's user.email."""
    return os.environ.get(CONTACT_ENV, "").strip() or _git_email()


@functools.cache
def _git_email() -> str | None:
    try:
        found = subprocess.run(["git", "config", "user.email"], capture_output=True, text=True,
                               timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def user_agent() -> str:
    """``walking-lbp-evidence/0.1.0 (mailto:editor@example.org)``, as Crossref asks."""
    address = contact()
    return f"{PROJECT}/{__version__}" + (f" (mailto:{address})" if address else "")


@dataclass(frozen=True)
class Response:
    url: str
    """The address finally answered (after redirects)."""
    body: bytes
    content_type: str


def get(url: str, accept: str = "*/*") -> Response:
    """GET ``url``; :class:`NotFound` on 404, :class:`Offline` when the host cannot be reached,
    :class:`ServiceError` on any other failure."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": accept})
    host = urllib.parse.urlsplit(url).netloc or url
    log.debug("GET %s", url)
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as answer:
            body = answer.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise ServiceError(f"{host} sent more than {MAX_BYTES:,} bytes for {url}")
            return Response(answer.geturl(), body, answer.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise NotFound(url) from exc
        raise ServiceError(f"{host} answered {exc.code} {exc.reason} for {url} (try again "
                           "later)") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        why = getattr(reason, "strerror", None) or str(reason)
        raise Offline(f"cannot reach {host}: {why} (check the network connection)") from exc
    except TimeoutError as exc:
        raise Offline(f"cannot reach {host}: no answer within {timeout():g} s (check the "
                      f"network connection, or set {TIMEOUT_ENV})") from exc
    except (ConnectionError, OSError) as exc:  # a connection reset while reading
        raise Offline(f"cannot reach {host}: {exc.strerror or exc} (check the network "
                      "connection)") from exc


def get_json(url: str) -> Any:
    """GET ``url`` and decode its JSON; :class:`ServiceError` when it is not JSON."""
    answer = get(url, accept="application/json")
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        host = urllib.parse.urlsplit(url).netloc
        raise ServiceError(f"{host} did not answer with JSON for {url}") from exc


def with_query(url: str, **params: str) -> str:
    return f"{url}?{urllib.parse.urlencode(params)}"
