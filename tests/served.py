"""The real command serving on 127.0.0.1 in a child process, and raw HTTP requests to it
(chunked bodies, any Host header), as a browser or an attacker would send them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(command: str, data: Path, *options: str, cache_dir: Path | None = None):
    """``dashboard COMMAND DATA --port P OPTIONS`` running until the block ends; yields P."""
    port = free_port()
    env = {**os.environ}
    if cache_dir is not None:
        env["DASHBOARD_CACHE_DIR"] = str(cache_dir)
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", command, str(data), "--port", str(port), *options],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            _wait_until_up(port, process, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(port: int, process: subprocess.Popen, log, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server stopped: {log.read()}")
        if raw_request(port, "GET", "/_dash-layout", timeout=5)[0] == 200:
            return
        time.sleep(0.3)
    raise RuntimeError("the server did not start in time")


def raw_request(
    port: int,
    method: str,
    path: str,
    host: str | None = None,
    body_chunks=None,
    body: bytes | None = None,
    timeout: float = 30,
) -> tuple[int | None, dict[str, str], bytes]:
    """One HTTP/1.1 request over a plain socket: (status, headers, body); status None
    if the server closed the connection without an answer.

    ``body_chunks`` (an iterable of bytes) is sent with chunked transfer encoding,
    ``body`` with a Content-Length; the sending stops quietly if the server closes the
    connection first (as it may once it has refused the body).
    """
    try:
        connection = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return None, {}, b""
    with connection:
        head = [f"{method} {path} HTTP/1.1", "Connection: close"]
        if host != "":  # "" sends no Host header at all
            head.append(f"Host: {host or f'127.0.0.1:{port}'}")
        if body_chunks is not None:
            head += ["Content-Type: application/json", "Transfer-Encoding: chunked"]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        try:
            connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            if body is not None:
                connection.sendall(body)
            if body_chunks is not None:
                for chunk in body_chunks:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # refused mid-body: the answer, if any, is waiting to be read
        answer = b""
        try:
            while part := connection.recv(65536):
                answer += part
        except OSError:
            pass
    if not answer.startswith(b"HTTP/"):
        return None, {}, b""
    header_block, _, content = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = header_block.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, content
