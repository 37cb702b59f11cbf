"""HTTP for the intake commands: one place for base addresses, User-Agent, time-outs and errors.

Crossref and NCBI E-utilities are reached at the base addresses in ``KB_CROSSREF_API`` and
``KB_NCBI_API`` (tests point them at a server on 127.0.0.1). Every request says who sends it,
with a contact address, as both services ask: ``KB_CONTACT``, else the repository's
``git config user.email``. A request that cannot reach its host (no network, a refused
connection, a time-out) raises :class:`Offline`, which the commands report in one line with
exit code 2, before anything is written.

A server can misbehave in every way and still cost one line and at most ``KB_HTTP_TIMEOUT``
seconds: the time-out is a deadline for the whole request (connecting, every redirect, the
headers and the body; a watchdog shuts the connection when it passes, so a server that sends a
byte a second cannot stretch it), a body over :data:`MAX_BYTES` is refused, redirects are
followed only to http(s) addresses and at most :data:`MAX_REDIRECTS` times (a loop is named in
one line), the address that finally answered is what a command records, and JSON that nests
deeper than Python can decode is refused like any other answer that is not JSON.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import json
import logging
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from build_tools import __version__
from build_tools.core.problems import CannotRun, one_line

log = logging.getLogger(__name__)

CROSSREF_ENV, CROSSREF_DEFAULT = "KB_CROSSREF_API", "https://api.crossref.org"
NCBI_ENV, NCBI_DEFAULT = "KB_NCBI_API", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CONTACT_ENV = "KB_CONTACT"
TIMEOUT_ENV, TIMEOUT_DEFAULT = "KB_HTTP_TIMEOUT", 20.0
PROJECT = "walking-lbp-evidence"
MAX_BYTES = 10_000_000
"""A response larger than this is refused: no record or article page is near it."""
MAX_REDIRECTS = 10
"""Redirects followed for one request (browsers stop at about 20; publishers use one or two)."""
SCHEMES = ("http", "https")
"""The only addresses a request goes to, first or after a redirect."""


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


class _Deadline:
    """One request's deadline: every connection it opens (one a redirect) is registered, and
    shut when the time is up, which ends a read that is waiting however slowly bytes come."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def remaining(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def connect(self, address: tuple[str, int], timeout: float | None = None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """socket.create_connection, within the deadline, the connection registered (a
        duplicate of it, so that shutting it works under TLS too)."""
        sock = socket.create_connection(address, self.remaining(), source_address)
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._shut()
        return sock

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _connection(kind: type[http.client.HTTPConnection], deadline: _Deadline) -> Any:
    def make(host: str, **options: Any) -> http.client.HTTPConnection:
        conn = kind(host, **options)
        conn._create_connection = deadline.connect  # type: ignore[attr-defined]
        return conn
    return make


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection(http.client.HTTPConnection, self.deadline), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection(http.client.HTTPSConnection, self.deadline), req,
                            context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an http(s) address, at most MAX_REDIRECTS times, never back
    to an address already visited; each refusal a :class:`ServiceError` in one line."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                       headers: Any) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urllib.parse.urljoin(req.full_url, location.strip())
            chain: list[str] = getattr(req, "kb_chain", [req.full_url])
            host = _host(req.full_url)
            problem = None
            if urllib.parse.urlsplit(target).scheme.lower() not in SCHEMES:
                problem = (f"{host} redirected {_short(req.full_url)} to {_short(target)}, which "
                           "is not a web address (only http and https addresses are followed)")
            elif target in chain:
                loop = [*chain[chain.index(target):], target]
                problem = (f"{host} redirects in a loop: {' -> '.join(map(_short, loop))} "
                           "(expected a page at the end; try the address in a browser)")
            elif len(chain) > MAX_REDIRECTS:
                problem = (f"{host} redirected {_short(chain[0])} more than {MAX_REDIRECTS} "
                           f"times (last to {_short(target)}; expected a page at the end)")
            if problem:
                fp.close()
                raise ServiceError(one_line(problem))
        new = super().http_error_302(req, fp, code, msg, headers)
        return new

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> Any:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.kb_chain = [*getattr(req, "kb_chain", [req.full_url]), newurl]  # type: ignore[attr-defined]
        return new

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _short(url: str) -> str:
    return one_line(url, 200)


def get(url: str, accept: str = "*/*") -> Response:
    """GET ``url`` within one deadline; :class:`NotFound` on 404, :class:`Offline` when the host
    cannot be reached (or does not answer in time), :class:`ServiceError` on any other
    failure."""
    host = _host(url)
    if urllib.parse.urlsplit(url).scheme.lower() not in SCHEMES:
        raise ServiceError(f"{_short(url)} is not a web address (expected http:// or https://)")
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(), "Accept": accept})
    deadline = _Deadline(timeout())
    opener = urllib.request.build_opener(_HTTP(deadline), _HTTPS(deadline), _Redirects())
    watchdog = threading.Timer(deadline.seconds, deadline.expire)
    watchdog.daemon = True
    log.debug("GET %s", url)
    watchdog.start()
    try:
        with opener.open(request, timeout=deadline.remaining()) as answer:
            body = _read(answer, host, url)
            if deadline.expired:
                raise TimeoutError
            return Response(answer.geturl(), body, answer.headers.get("Content-Type", ""))
    except ServiceError:
        raise
    except urllib.error.HTTPError as exc:
        if deadline.expired:
            raise _late(host) from exc
        if exc.code == 404:
            raise NotFound(url) from exc
        raise ServiceError(one_line(f"{host} answered {exc.code} {exc.reason} for {url} (try "
                                    "again later)")) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if deadline.expired or isinstance(exc, TimeoutError) or isinstance(
                getattr(exc, "reason", None), TimeoutError):
            raise _late(host) from exc
        if isinstance(exc, http.client.HTTPException) and not isinstance(exc, ConnectionError):
            raise ServiceError(one_line(f"{host} did not answer in HTTP for {url} "
                                        f"({type(exc).__name__}; try again later)")) from exc
        reason = getattr(exc, "reason", exc)
        why = getattr(reason, "strerror", None) or str(reason)
        raise Offline(one_line(f"cannot reach {host}: {why} (check the network "
                               "connection)")) from exc
    finally:
        watchdog.cancel()
        deadline.close()


def _read(answer: Any, host: str, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = answer.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise ServiceError(one_line(f"{host} sent more than {MAX_BYTES:,} bytes for {url}"))
        chunks.append(chunk)


def _late(host: str) -> Offline:
    return Offline(f"cannot reach {host}: no complete answer within {timeout():g} s (check the "
                   f"network connection, or set {TIMEOUT_ENV})")


def decode_json(answer: Response) -> Any:
    """The JSON of an answer; :class:`ServiceError` when it is not JSON (or nests deeper than
    it can be decoded)."""
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ServiceError(one_line(f"{_host(answer.url)} did not answer with JSON for "
                                    f"{answer.url}")) from exc


def get_json(url: str) -> Any:
    """GET ``url`` and decode its JSON; :class:`ServiceError` when it is not JSON."""
    return decode_json(get(url, accept="application/json"))


def with_query(url: str, **params: str) -> str:
    return f"{url}?{urllib.parse.urlencode(params)}"


def same_site(a: str, b: str) -> bool:
    """Two addresses on the same host (``www.`` and case aside): a page may name its own
    address on its own host, and nowhere else."""
    def host(url: str) -> str:
        return (urllib.parse.urlsplit(url).hostname or "").lower().removeprefix("www.")
    return bool(host(a)) and host(a) == host(b)
