"""Fetching a page or a feed for a URL import, safely: the only code that reaches the network.

Server-side request forgery is the danger: a URL (or a redirect, or a feed entry) pointing at
the machine itself, the private network or a cloud metadata service. So:

- only http and https, on any port;
- the host name is resolved here, every address checked (`address_refusal`), and the
  connection made to the checked address itself (the Host header and TLS name stay the host
  name), so a DNS answer that changes between check and connect cannot slip through;
- redirects are followed by hand, each hop checked the same way, at most FETCH_MAX_REDIRECTS;
- loopback and private addresses only with FETCH_ALLOW_PRIVATE; link-local (169.254.0.0/16,
  fe80::/10: metadata services), multicast, unspecified and reserved addresses never;
- robots.txt is obeyed (urllib.robotparser), each host waits FETCH_HOST_DELAY_SECONDS between
  requests from any worker (FetchHost rows), the whole fetch has FETCH_TIMEOUT_SECONDS and the
  body at most FETCH_MAX_BYTES (also after decompression).

Every refusal or failure is a `FetchError` whose message names the reason, shown per URL on the
batch page; `retryable` tells a passing failure (timeout, server error) from a final one.
"""

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import FetchHost

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_CACHE_SECONDS = 600
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


class FetchError(Exception):
    """Why a URL could not be fetched; `retryable` when trying later may help."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class Fetched:
    """A fetched document: where it ended up after redirects, what it says it is, its bytes."""

    url: str
    final_url: str
    kind: str  # "html" or "feed"
    content_type: str
    body: bytes


# -- addresses --------------------------------------------------------------------------------
def address_refusal(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_private: bool
) -> str | None:
    """Why we never connect to this address (None: we may)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return address_refusal(embedded, allow_private=allow_private)
    if address.is_link_local:
        return f"{address} is a link-local address (never fetched: metadata services live there)"
    if address.is_multicast or address.is_unspecified:
        return f"{address} is not a unicast host address"
    if address.is_global:
        return None
    if address.is_loopback or address.is_private:
        if allow_private:
            return None
        kind = "a loopback" if address.is_loopback else "a private"
        return f"{address} is {kind} address (set FETCH_ALLOW_PRIVATE=true to allow it)"
    return f"{address} is not a public address"


def resolve_public(host: str, port: int, *, resolve=socket.getaddrinfo) -> str:
    """The address to connect to for host: the first one it resolves to that passes
    `address_refusal`. Raises FetchError naming the refused address or the DNS failure."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        candidates = [literal]
    else:
        try:
            infos = resolve(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError(f"the host name {host!r} does not resolve ({error})") from None
        candidates = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    refusals = []
    for address in candidates:
        refusal = address_refusal(address, allow_private=settings.FETCH_ALLOW_PRIVATE)
        if refusal is None:
            return str(address)
        refusals.append(refusal)
    raise FetchError(f"refused: {host} resolves to {'; '.join(refusals)}")


def _checked_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"{url!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
    if not parts.hostname:
        raise FetchError(f"{url!r} names no host")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


# -- one request --------------------------------------------------------------------------------
class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class _Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(
            f"timed out after {settings.FETCH_TIMEOUT_SECONDS:g} s (FETCH_TIMEOUT_SECONDS)",
            retryable=True,
        )
    return left


def _read_body(response: http.client.HTTPResponse, *, limit: int, deadline: float) -> bytes:
    """The body, decompressed, refusing anything over `limit` bytes."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding == "identity":
        inflater = None
    else:
        raise FetchError(f"unsupported content encoding {encoding!r}")
    too_big = FetchError(
        f"the response is larger than {limit:,} bytes (FETCH_MAX_BYTES); not imported"
    )
    declared = response.getheader("Content-Length")
    if inflater is None and declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    while True:
        # Each read waits at most the socket's timeout (what was left of the deadline when the
        # connection opened); the deadline is checked after it, so a server that sends slowly
        # is cut off.
        chunk = response.read(64 * 1024)
        _remaining(deadline)
        if not chunk:
            break
        if inflater is not None:
            chunk = inflater.decompress(chunk, limit + 1 - size)
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _request(url: str, *, limit: int, deadline: float) -> _Response:
    """One GET to a checked address, no redirect followed."""
    scheme, host, port, path = _checked_url(url)
    address = resolve_public(host, port)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=_remaining(deadline))
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": settings.FETCH_USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        body = b"" if response.status in REDIRECT_STATUSES else None
        if body is None:
            body = _read_body(response, limit=limit, deadline=deadline)
        return _Response(response.status, response.headers, body)
    except TimeoutError:
        raise FetchError(
            f"timed out after {settings.FETCH_TIMEOUT_SECONDS:g} s (FETCH_TIMEOUT_SECONDS)",
            retryable=True,
        ) from None
    except ssl.SSLError as error:
        raise FetchError(f"TLS failed: {error.reason or error}") from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            f"could not connect or read: {type(error).__name__}: {error}", retryable=True
        ) from None
    finally:
        connection.close()


# -- politeness and robots.txt -------------------------------------------------------------------
def host_wait(host: str) -> None:
    """Wait for this host's turn: FETCH_HOST_DELAY_SECONDS between requests from any worker.

    The turn is taken in a short transaction on the host's FetchHost row (locked while it is
    moved on), then slept for outside it.
    """
    delay = timedelta(seconds=settings.FETCH_HOST_DELAY_SECONDS)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                slot = FetchHost.objects.select_for_update().filter(host=host).first()
                now = timezone.now()
                if slot is None:
                    FetchHost.objects.create(host=host, next_fetch_at=now + delay)
                    return
                turn = max(now, slot.next_fetch_at)
                slot.next_fetch_at = turn + delay
                slot.save(update_fields=["next_fetch_at"])
            break
        except IntegrityError:  # another worker created the row first: take a turn on it
            continue
    else:
        return
    wait = (turn - now).total_seconds()
    if wait > 0:
        time.sleep(wait)


_robots: dict[tuple[str, str, int], tuple[float, RobotFileParser | None, str]] = {}


def forget_robots() -> None:
    """Drop the cached robots.txt rules (they are kept ten minutes per host and port)."""
    _robots.clear()


def _robots_for(scheme: str, host: str, port: int, deadline: float) -> RobotFileParser | None:
    """The host's robots.txt rules (None: everything allowed), cached for ten minutes."""
    key = (scheme, host, port)
    cached = _robots.get(key)
    if cached is not None and cached[0] > time.monotonic():
        if cached[2]:
            raise FetchError(cached[2], retryable=True)
        return cached[1]
    default_port = 443 if scheme == "https" else 80
    netloc = host if port == default_port else f"{host}:{port}"
    robots_url = f"{scheme}://{netloc}/robots.txt"
    parser, failure = None, ""
    try:
        host_wait(host)
        response = _request(robots_url, limit=ROBOTS_MAX_BYTES, deadline=deadline)
    except FetchError as error:
        if not error.retryable:
            raise
        failure = f"robots.txt could not be read ({error.reason}); not fetched"
    else:
        if 200 <= response.status < 300:
            parser = RobotFileParser(robots_url)
            parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        elif response.status in (401, 403):
            parser = RobotFileParser(robots_url)
            parser.disallow_all = True
        elif response.status >= 500:
            failure = f"robots.txt answered HTTP {response.status}; not fetched"
        # Other answers (404, a redirect): no rules, everything allowed (RFC 9309).
    _robots[key] = (time.monotonic() + ROBOTS_CACHE_SECONDS, parser, failure)
    if failure:
        raise FetchError(failure, retryable=True)
    return parser


def _robots_allow(url: str, deadline: float) -> None:
    scheme, host, port, _path = _checked_url(url)
    parser = _robots_for(scheme, host, port, deadline)
    if parser is not None and not parser.can_fetch(settings.FETCH_USER_AGENT.split("/")[0], url):
        raise FetchError(f"robots.txt of {host} disallows fetching this page")


# -- a document -----------------------------------------------------------------------------------
def _kind_of(content_type: str, body: bytes) -> str | None:
    media = content_type.split(";")[0].strip().lower()
    if media in HTML_TYPES:
        return "html"
    if media in FEED_TYPES or media.endswith(("+xml", "/rss")):
        return "feed"
    head = body[:512].lstrip().lower()
    if media in ("", "text/plain", "application/octet-stream"):
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
        if head.startswith((b"<?xml", b"<rss", b"<feed")):
            return "feed"
    return None


def fetch_document(url: str) -> Fetched:
    """GET an HTML page or an RSS/Atom feed, with every safeguard above; FetchError says why
    not."""
    deadline = time.monotonic() + settings.FETCH_TIMEOUT_SECONDS
    current = url
    for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
        _robots_allow(current, deadline)
        host_wait(_checked_url(current)[1])
        response = _request(current, limit=settings.FETCH_MAX_BYTES, deadline=deadline)
        if response.status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location")
            current = urljoin(current, location.strip())
            continue
        if response.status != 200:
            retryable = response.status >= 500 or response.status == 429
            raise FetchError(f"HTTP {response.status} from {current}", retryable=retryable)
        content_type = response.headers.get("Content-Type", "")
        kind = _kind_of(content_type, response.body)
        if kind is None:
            raise FetchError(
                f"not an HTML page or a feed (Content-Type {content_type or 'missing'})"
            )
        return Fetched(url, current, kind, content_type, response.body)
    raise FetchError(f"more than {settings.FETCH_MAX_REDIRECTS} redirects (FETCH_MAX_REDIRECTS)")
