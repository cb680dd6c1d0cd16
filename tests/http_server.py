"""A local HTTP server for the URL-import tests: real sockets, pages and feeds we write.

Nothing in the suite reaches the internet; imports fetch from this server (with
FETCH_ALLOW_PRIVATE on, since it listens on loopback).
"""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    content_length: bool = True


@dataclass
class Hit:
    path: str
    at: float
    user_agent: str


class LocalServer:
    """Routes path → Reply (or a callable returning one); records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable[[], Reply]] = {}
        self.hits: list[Hit] = []
        self.url = ""

    def add(self, path: str, reply: Reply | Callable[[], Reply]) -> str:
        self.routes[path] = reply
        return self.url + path

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]


def _handler(server: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.hits.append(Hit(self.path, time.monotonic(), self.headers.get("User-Agent")))
            reply = server.routes.get(self.path, Reply(404, b"not found"))
            if callable(reply):
                reply = reply()
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.content_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            # The client may give up (too big, too slow): that is the point.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[LocalServer]:
    state = LocalServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
