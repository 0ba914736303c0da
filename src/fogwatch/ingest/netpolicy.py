"""Which addresses fogwatch may fetch from, checked where the connection is made.

URL and feed ingest fetch whatever a feed links to, so by default fogwatch
refuses to connect to loopback, link-local, private, multicast, reserved,
unspecified and other not globally routable addresses, IPv4 and IPv6 alike
(an IPv4 address inside IPv6, ``::ffff:127.0.0.1``, 6to4 or NAT64, is judged
as the IPv4 address). ``allow_private=True`` (``fogwatch ingest
--allow-private``) lifts the refusal, e.g. for an intranet or a test server.

The check sits in the connection layer: :class:`GuardedBackend` resolves the
host name once, checks *every* address it resolves to, and opens the TCP
connection to one of those checked addresses (the connection is pinned: a DNS
answer that changes between the check and the connect, "DNS rebinding", cannot
move it). TLS still verifies the certificate against the host name. Every hop
of a redirect chain opens its own connection and so passes the same check.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Callable, Iterable

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(Exception):
    """A host that resolves to an address the policy refuses (or that cannot be judged)."""


def refused_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be fetched from by default (e.g. "loopback"), or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:  # judged as the IPv4 address it carries
            inner = refused_reason(embedded)
            return f"{inner} (IPv4 {embedded} inside IPv6)" if inner else None
    for attr, label in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"), ("is_link_local", "link-local"),
                        ("is_multicast", "multicast"), ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attr):
            return label
    if not ip.is_global:
        return "not globally routable"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_private: bool = False
    resolver: Resolver | None = None  # host, port -> addresses; None: the system resolver (tests inject one)
    allow_networks: tuple[str, ...] = ()  # CIDR blocks allowed although refused by default (e.g. one intranet host)

    def _allowed(self, ip: IPAddress) -> bool:
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allow_networks)

    def checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``; raises :class:`BlockedAddress` if any of them is refused."""
        host = host.strip("[]")
        try:
            literal = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            literal = None
        addresses = [host] if literal is not None else list((self.resolver or system_resolver)(host, port))
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        if self.allow_private:
            return addresses
        for addr in addresses:
            try:
                ip = ipaddress.ip_address(addr.split("%", 1)[0])
            except ValueError:
                raise BlockedAddress(f"{host} resolves to {addr!r}, which is not an IP address") from None
            reason = None if self._allowed(ip) else refused_reason(ip)
            if reason:
                shown = host if host == addr else f"{host} ({addr})"
                raise BlockedAddress(f"refused to connect to {shown}: {reason} address (use --allow-private to fetch from it)")
        return addresses


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, connecting only to addresses the policy checked."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for addr in self.policy.checked_addresses(host, port):
            try:
                return self._inner.connect_tcp(addr, port, timeout=timeout, local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise BlockedAddress("unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(policy: AddressPolicy) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through :class:`GuardedBackend`.

    httpx does not take a network backend as an argument, so the pool's backend is
    replaced after construction; if a future httpx/httpcore renames that attribute,
    this fails loudly here rather than fetching unchecked.
    """
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx/httpcore version does not expose the connection pool's network backend; "
                           "fogwatch cannot enforce its address policy")
    pool._network_backend = GuardedBackend(policy)
    return transport
