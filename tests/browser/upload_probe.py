"""The anonymous upload probe of issue 22: PUT files straight to Streamlit's upload endpoint.

A browser tab gives the probe what any visitor has: its session id (sent by the server in the
first message over the websocket) and the XSRF cookie. The probe then PUTs files as an attacker
would, without ever drawing an uploader, and reads the server's memory from /proc.

Run on its own (starts a server on the demo data, prints the HTTP statuses and RSS figures):

    .venv/bin/python -m tests.browser.upload_probe [--files 4] [--mb 30]
"""

from __future__ import annotations

import argparse
import select
import socket
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from playwright.sync_api import BrowserContext, Page
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.harness import FINISHED_RUN, PAGE_RUN_TIMEOUT_MS

XSRF_COOKIE = "_streamlit_xsrf"
UPLOAD_PATH = "/_stcore/upload_file"
CHUNK = 1024 * 1024
SETTLE_S = 2.0  # let the server finish what the page run started before reading its RSS


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def watch_session_ids(page: Page) -> list[str]:
    """Collect the session ids the server sends this page (call before navigating)."""
    found: list[str] = []

    def on_frame(payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:  # not a ForwardMsg: nothing to learn from it
            return
        if msg.WhichOneof("type") == "new_session":
            session_id = msg.new_session.initialize.session_id
            if session_id and session_id not in found:
                found.append(session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return found


def open_as_browser(page: Page, url: str) -> str:
    """Open `url` like a visitor; the session id the server gave this tab."""
    found = watch_session_ids(page)
    page.goto(url)
    page.wait_for_selector(FINISHED_RUN, state="attached", timeout=PAGE_RUN_TIMEOUT_MS)
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert found, "the server sent no session id to the page"
    return found[-1]


def xsrf_cookie(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == XSRF_COOKIE)


def put_file(
    base_url: str,
    session_id: str,
    xsrf: str,
    size: int,
    *,
    name: str = "月报.xlsx",
    chunked: bool = False,
) -> int:
    """PUT one file of `size` bytes as the browser's uploader does; the HTTP status.

    The body is sent in 1 MB chunks; as soon as the server answers (e.g. refuses before reading
    the body) the probe stops sending, reads the status, and closes. `chunked`: no
    Content-Length, the body in chunks of unannounced total size (as an attacker may send it)."""
    parsed = urllib.parse.urlsplit(base_url)
    boundary = uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{urllib.parse.quote(name)}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    framing = (
        "Transfer-Encoding: chunked"
        if chunked
        else f"Content-Length: {len(head) + size + len(tail)}"
    )
    request = (
        f"PUT {UPLOAD_PATH}/{session_id}/{uuid.uuid4()} HTTP/1.1\r\n"
        f"Host: {parsed.netloc}\r\n"
        f"Cookie: {XSRF_COOKIE}={xsrf}\r\n"
        f"X-Xsrftoken: {xsrf}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"{framing}\r\n\r\n"
    ).encode()

    def frame(data: bytes) -> bytes:
        return b"%x\r\n%s\r\n" % (len(data), data) if chunked else data

    with socket.create_connection((parsed.hostname, parsed.port), timeout=60) as sock:
        try:
            sock.sendall(request + frame(head))
            sent = 0
            while sent < size and not _answered(sock):
                chunk = min(CHUNK, size - sent)
                sock.sendall(frame(b"\0" * chunk))
                sent += chunk
            if not _answered(sock):
                sock.sendall(frame(tail) + (b"0\r\n\r\n" if chunked else b""))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer is already on the way
        return _status(sock)


def _answered(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def _status(sock: socket.socket) -> int:
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    if not data.startswith(b"HTTP/1.1 "):
        return 0  # no answer at all (connection dropped)
    return int(data.split()[1])


def probe(base_url: str, pid: int, session_id: str, xsrf: str, files: int, mb: int) -> dict:
    """PUT `files` files of `mb` MB each; statuses and RSS before/after (MB)."""
    time.sleep(SETTLE_S)
    before = rss_mb(pid)
    statuses = [put_file(base_url, session_id, xsrf, mb * 1024 * 1024) for _ in range(files)]
    time.sleep(SETTLE_S)
    return {"statuses": statuses, "rss_before_mb": before, "rss_after_mb": rss_mb(pid)}


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from etl.demo import build_demo_database
    from tests.browser.harness import CHROMIUM_ARGS, chromium_executable, start_streamlit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--mb", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "minsheng.duckdb"
        build_demo_database(db)
        server = start_streamlit(db, Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_executable(), args=CHROMIUM_ARGS
                )
                context = browser.new_context()
                page = context.new_page()
                session_id = open_as_browser(page, server.url + "/data_admin")
                result = probe(
                    server.url,
                    server.process.pid,
                    session_id,
                    xsrf_cookie(context),
                    args.files,
                    args.mb,
                )
                browser.close()
        finally:
            server.stop()
    print(
        f"匿名会话上传 {args.files} × {args.mb} MB: HTTP {result['statuses']}; "
        f"服务器 RSS {result['rss_before_mb']:.1f} MB → {result['rss_after_mb']:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
