"""The server's outer layer, as plain ASGI middleware: security headers, allowed hosts, size and time limits.

Every response gets a strict Content-Security-Policy (scripts, styles, images and data only from the
server itself; no inline script, no eval, no framing), ``nosniff`` and ``no-referrer``. A request whose
``Host`` is not one the server answers to is refused (a DNS-rebinding page cannot read a local server),
a body over the limit is refused before it is read whole, and a request that has not started its
response within the time limit gets a 503. Refusals use the API's one error shape.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, MutableMapping

from fogwatch.errors import Code

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass(frozen=True, slots=True)
class Limits:
    max_body_bytes: int = 1_000_000  # reads take no body; this bounds what a request may send
    max_ingest_bytes: int = 20_000_000  # POST /api/ingest
    request_seconds: float = 30.0  # until the response starts (a long download then streams on)


def error_body(code: Code, status: int, message: str) -> bytes:
    return json.dumps({"error": {"code": str(code), "status": status, "message": message}}, ensure_ascii=False).encode()


async def _refuse(send: Send, code: Code, status: int, message: str) -> None:
    body = error_body(code, status, message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    def __init__(self, app: ASGIApp, limits: Limits, allowed_hosts: frozenset[str]) -> None:
        self.app, self.limits, self.allowed_hosts = app, limits, allowed_hosts

    def _body_limit(self, scope: Scope) -> int:
        return self.limits.max_ingest_bytes if scope.get("path") == "/api/ingest" else self.limits.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.allowed_hosts and name not in self.allowed_hosts and "*" not in self.allowed_hosts:
            await _refuse(send, Code.API_BAD_REQUEST, 400, f"this server does not answer to the host {host[:100]!r} (--allowed-host adds one)")
            return
        limit = self._body_limit(scope)
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            await _refuse(send, Code.API_BAD_REQUEST, 400, "Content-Length is not a number")
            return
        if declared > limit:
            await _refuse(send, Code.API_TOO_LARGE, 413, f"the request body is {declared:,} bytes; at most {limit:,} are accepted here")
            return
        if scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            # Bodies are read here, bounded, before the app sees them: an oversized body is refused as it arrives.
            chunks, received, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    await _refuse(send, Code.API_TOO_LARGE, 413, f"the request body is over {limit:,} bytes; at most {limit:,} are accepted here")
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            receive = replay

        started = asyncio.Event()

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            done, _ = await asyncio.wait({task, waiter}, timeout=self.limits.request_seconds, return_when=asyncio.FIRST_COMPLETED)
            if not done:
                task.cancel()
                await _refuse(send, Code.API_TIMEOUT, 503,
                              f"the request took longer than {self.limits.request_seconds:g} s; narrow the filters or page through the results")
                return
            await task
        finally:
            waiter.cancel()
