"""Helpers for tests that speak real HTTP to `live_server`.

The root conftest keeps the migrated state (category tree, ...) around transactional tests.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

ALL_SCOPES = ["petitions:create", "petitions:read", "petitions:update", "catalog:read"]


def make_system(unit: Any, name: str, scopes: list[str] | None = None, **kwargs: Any) -> SimpleNamespace:
    """An integrating system with its key, through the real service: `.client`, `.key`, `.headers`."""
    from minsheng.api.auth import api_client_create
    from minsheng.core.actors import Actor

    client, key = api_client_create(
        actor=Actor.system("test"), name=name, unit=unit, scopes=ALL_SCOPES if scopes is None else scopes, **kwargs
    )
    return SimpleNamespace(client=client, key=key, headers={"X-API-Key": key})


class Http:
    """`requests` against the live server with a base URL: `http.get("/api/v1/...")`."""

    def __init__(self, base_url: str) -> None:
        import requests

        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)


class RawResponse:
    """An HTTP response read off the socket: the status line as sent, headers, body bytes."""

    def __init__(self, data: bytes) -> None:
        head, _, self.body = data.partition(b"\r\n\r\n")
        lines = head.decode("iso-8859-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(self.status_line.split(" ")[1])
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def xml(self) -> Any:
        import xml.etree.ElementTree as ET

        assert self.text.startswith('<?xml version="1.0" encoding="utf-8"?>'), self.text[:80]
        return ET.fromstring(self.body)

    def json(self) -> Any:
        import json

        return json.loads(self.text)


def raw_request(
    base_url: str, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> RawResponse:
    """Write the request line, headers and body to a socket as a client library would, read all."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in {"POST", "PUT"}:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1") + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return RawResponse(b"".join(chunks))
