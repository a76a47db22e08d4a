"""The upload gate without a server (dashboard.upload_gate): what a PUT gets, how much of its body
is read, and what happens when Streamlit's upload route cannot be found (fail closed).
The real server is probed in tests/browser/test_upload_gate.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging

import pytest
from starlette.exceptions import HTTPException

from dashboard import upload_gate

CAP = 1024 * 1024
CHUNK = 256 * 1024


@pytest.fixture(autouse=True)
def fresh_gate(monkeypatch):
    monkeypatch.setattr(upload_gate, "_authorised", set())
    monkeypatch.setattr(upload_gate, "_state", "not installed")
    monkeypatch.setattr(upload_gate, "_session_is_active", lambda session_id: True)
    upload_gate.set_max_file_bytes(CAP)
    yield
    upload_gate.set_max_file_bytes(upload_gate.DEFAULT_MAX_FILE_BYTES)


class Upload:
    """One PUT: its body in chunks; what the gate read of it and answered."""

    def __init__(self, session_id: str, body_size: int, *, stated: int | None = None):
        self.scope = {
            "type": "http",
            "method": "PUT",
            "path_params": {"session_id": session_id, "file_id": "f"},
            "headers": [] if stated is None else [(b"content-length", str(stated).encode())],
        }
        self.chunks = [b"\0" * CHUNK] * (body_size // CHUNK)
        self.read = 0
        self.sent: list[dict] = []
        self.inner_called = False

    async def receive(self) -> dict:
        body = self.chunks.pop(0) if self.chunks else b""
        self.read += len(body)
        return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}

    async def send(self, message: dict) -> None:
        self.sent.append(message)

    async def streamlit_handler(self, scope, receive, send) -> None:
        """Stands for Streamlit's handler: reads the whole body, answers 204."""
        self.inner_called = True
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def run(self) -> Upload:
        gate = upload_gate.UploadGate(self.streamlit_handler)
        # In a thread of its own: after the browser tests, Playwright's sync API keeps an event
        # loop running in this thread, and asyncio.run refuses to start a second one here.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, gate(self.scope, self.receive, self.send)).result()
        return self

    @property
    def status(self) -> int:
        return next(m["status"] for m in self.sent if m["type"] == "http.response.start")

    @property
    def text(self) -> str:
        return b"".join(m.get("body", b"") for m in self.sent).decode()


def test_session_without_the_role_is_refused_before_the_body_is_read():
    upload = Upload("visitor", 4 * CAP, stated=4 * CAP).run()

    assert (upload.status, upload.read, upload.inner_called) == (403, 0, False)
    assert upload.text == "需要民生办登录后才能上传文件。"
    assert (b"connection", b"close") in upload.sent[0]["headers"]


def test_authorised_session_uploads_within_the_cap():
    upload_gate.authorise("clerk")
    upload = Upload("clerk", CAP, stated=CAP + 300).run()

    assert (upload.status, upload.read, upload.inner_called) == (204, CAP, True)


def test_stated_length_over_the_cap_is_refused_before_the_body_is_read():
    upload_gate.authorise("clerk")
    upload = Upload("clerk", 2 * CAP, stated=2 * CAP).run()

    assert (upload.status, upload.read, upload.inner_called) == (413, 0, False)
    assert upload.text == "文件超过单个文件的大小上限（1 MB）。"


def test_unstated_length_is_cut_off_while_streaming():
    upload_gate.authorise("clerk")
    upload = Upload("clerk", 8 * CAP).run()  # no Content-Length (chunked)

    assert upload.status == 413
    assert upload.read <= CAP + upload_gate.MULTIPART_OVERHEAD_BYTES + CHUNK


def test_revoked_and_ended_sessions_are_refused(monkeypatch):
    upload_gate.authorise("clerk")
    upload_gate.revoke("clerk")
    assert Upload("clerk", CAP).run().status == 403

    upload_gate.authorise("gone")
    monkeypatch.setattr(upload_gate, "_session_is_active", lambda session_id: False)
    assert Upload("gone", CAP).run().status == 403
    assert "gone" not in upload_gate._authorised


def test_other_methods_pass_through():
    upload = Upload("visitor", 0)
    upload.scope["method"] = "DELETE"
    assert upload.run().status == 204


# --- installing on the route ----------------------------------------------------------------------


class FakeRuntime:
    def __init__(self):
        self.uploaded_file_mgr = type("Manager", (), {"add_file": lambda *a, **k: None})()


@pytest.fixture
def runtime(monkeypatch):
    from streamlit.runtime import Runtime

    fake = FakeRuntime()
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: True))
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: fake))
    return fake


def test_install_wraps_the_put_route_once(runtime, monkeypatch):
    from starlette.routing import Route

    async def handler(request):  # pragma: no cover - never called here
        raise AssertionError

    path = "/_stcore/upload_file/{session_id}/{file_id}"
    put, delete = Route(path, handler, methods=["PUT"]), Route(path, handler, methods=["DELETE"])
    original = put.app
    monkeypatch.setattr(upload_gate, "_upload_routes", lambda: [put])

    assert upload_gate.install(limit=CAP) == "gated"
    assert upload_gate.install(limit=CAP) == "gated"  # every page run calls it: still once
    assert isinstance(put.app, upload_gate.UploadGate)
    assert put.app.wrapped_upload_app is original
    assert not isinstance(delete.app, upload_gate.UploadGate)


def test_real_route_lookup_finds_streamlits_put_route():
    from streamlit.web.server.starlette.starlette_routes import create_upload_routes

    routes = create_upload_routes(runtime=None, upload_mgr=None, base_url="")  # type: ignore[arg-type]
    found = upload_gate._upload_routes()

    assert [r for r in routes if r in found] == [routes[0]]
    assert routes[0].methods >= {"PUT"}


def test_route_not_found_closes_uploads_and_says_so_once(runtime, monkeypatch, caplog):
    monkeypatch.setattr(upload_gate, "_upload_routes", lambda: [])
    caplog.set_level(logging.ERROR, logger=upload_gate.__name__)

    assert upload_gate.install(limit=CAP) == "closed"
    assert upload_gate.install(limit=CAP) == "closed"

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "上传已全部关闭" in errors[0]
    upload_gate.authorise("clerk")  # even a clerk: the size cap could not be put in place
    with pytest.raises(HTTPException) as refused:
        runtime.uploaded_file_mgr.add_file(session_id="clerk", file=None)
    assert refused.value.status_code == 403


def test_no_server_no_gate(monkeypatch):
    from streamlit.runtime import Runtime

    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: False))
    assert upload_gate.install(limit=CAP) == "no server"


def test_ended_sessions_are_forgotten_when_another_signs_in(monkeypatch):
    active = {"old", "new"}
    monkeypatch.setattr(upload_gate, "_session_is_active", lambda session_id: session_id in active)
    upload_gate.authorise("old")
    active.discard("old")  # its tab was closed

    upload_gate.authorise("new")

    assert upload_gate._authorised == {"new"}
