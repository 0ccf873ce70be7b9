"""Browser tests against a real server process (Playwright for Python + Debian Chromium).

Run them inside the private network namespace the harness makes:

    cd /work/main && e2e/run-in-netns.sh backend/.venv/bin/pytest e2e

Environment knobs:
    E2E_DATABASE_URL   admin URL of a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres);
                       a fresh database is created for the run and dropped afterwards. Default: SQLite
                       in a fresh DATA_DIR.
    E2E_TIMEOUT_MS     Playwright / expect timeout (default 15000).
    E2E_HEADED=1       show the browser (needs a display; not inside the namespace).
    E2E_TRACE=1        record a Playwright trace, kept under e2e/artifacts/ for failed tests.
    E2E_ALLOW_HOST_NETWORK=1      run outside the private network namespace (not recommended).
    E2E_ALLOW_MISSING_FRONTEND=1  start even when frontend/dist/index.html is missing (harness work only).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
import pytest
from chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from support import Mailbox, Server

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent
BACKEND_DIR = REPO_DIR / "backend"
BACKEND_PYTHON = BACKEND_DIR / ".venv" / "bin" / "python"
FRONTEND_INDEX = REPO_DIR / "frontend" / "dist" / "index.html"
ARTIFACTS_DIR = E2E_DIR / "artifacts"

TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "15000"))
MIGRATE_TIMEOUT_S = 180
READY_TIMEOUT_S = 90


# --------------------------------------------------------------------------------------------
# Session checks: the namespace and the built web app.
# --------------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    if os.environ.get("E2E_NETNS") != "1" and os.environ.get("E2E_ALLOW_HOST_NETWORK") != "1":
        pytest.exit(
            "The browser tests run inside a private network namespace. Start them with\n"
            "    cd /work/main && e2e/run-in-netns.sh backend/.venv/bin/pytest e2e\n"
            "(or set E2E_ALLOW_HOST_NETWORK=1 to run on the host network anyway).",
            returncode=4,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    if not FRONTEND_INDEX.exists() and os.environ.get("E2E_ALLOW_MISSING_FRONTEND") != "1":
        pytest.exit(
            f"The web app is not built: {FRONTEND_INDEX} is missing.\n"
            "Build it first:  cd frontend && npm ci && npm run build",
            returncode=4,
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --------------------------------------------------------------------------------------------
# The server process.
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _through_unix_socket(url: str) -> str:
    """The namespace has its own loopback: a PostgreSQL on the machine's 127.0.0.1 is reached
    through its Unix socket instead (sockets on the filesystem cross network namespaces)."""
    parts = urlsplit(url)
    socket_dir = Path("/var/run/postgresql")
    port = parts.port or 5432
    if parts.hostname not in {"127.0.0.1", "localhost"} or not (socket_dir / f".s.PGSQL.{port}").exists():
        return url
    user = f"{parts.username}@" if parts.username else ""
    netloc = f"{user}{quote(str(socket_dir), safe='')}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _postgres_database(admin_url: str) -> tuple[str, str]:
    """Create a fresh database on the PostgreSQL server of `admin_url`; return (name, its URL)."""
    import psycopg
    from psycopg import sql

    name = f"aapoon_e2e_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(admin_url)
    return name, urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _postgres_drop(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _server_env(
    data_dir: Path, port: int, database_url: str | None, extra_env: Mapping[str, str] = MappingProxyType({})
) -> dict[str, str]:
    env = dict(os.environ)
    # Nothing of the developer's own configuration leaks into the test server.
    for name in (
        "DATABASE_URL",
        "SECRET_KEY",
        "JWT_PRIVATE_KEY",
        "FIELD_ENCRYPTION_KEY",
        "EMAIL_URL",
        "REDIS_URL",
        "SMS_PROVIDER",
        "DJANGO_SETTINGS_MODULE",
        "SITE_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "GOOGLE_CLIENT_ID",
        "FACEBOOK_APP_ID",
        "JANUS_NODES",
    ):
        env.pop(name, None)
    env.update(
        DATA_DIR=str(data_dir),
        PORT=str(port),
        SITE_URL=f"http://127.0.0.1:{port}",
        DEV_MAILBOX_ENABLED="1",
        TASK_RUNNER_IN_PROCESS="1",
        PYTHONUNBUFFERED="1",
        # No local Janus unless a test asks for SFU mode (JANUS_NODES): the P2P tests stay P2P.
        JANUS_AUTOSTART="false",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra_env)
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own process group (start_new_session); end that group only.
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class ServerFactory:
    """Starts product servers (`manage.py serve`), each on a free loopback port.

    `start()` makes a fresh DATA_DIR and database (SQLite in it, or a new PostgreSQL database when
    E2E_DATABASE_URL is set) and migrates it; `start(share_with=other)` starts a second app node on
    `other`'s DATA_DIR and database (same SECRET_KEY, no migrate), for multi-node tests. Extra
    environment (JANUS_NODES, REDIS_URL, ...) goes in `extra_env`."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp_path_factory = tmp_path_factory
        admin_url = os.environ.get("E2E_DATABASE_URL")
        self.admin_url = _through_unix_socket(admin_url) if admin_url else None

    @contextmanager
    def start(
        self,
        extra_env: Mapping[str, str] = MappingProxyType({}),
        *,
        share_with: Server | None = None,
        name: str = "server",
    ) -> Iterator[Server]:
        pg_name: str | None = None
        if share_with is not None:
            data_dir = share_with.data_dir
            database_url = share_with.env.get("DATABASE_URL")
        else:
            data_dir = self.tmp_path_factory.mktemp("aapoon-data")
            database_url = None
            if self.admin_url:
                pg_name, database_url = _postgres_database(self.admin_url)
        port = _free_port()
        log_path = data_dir / f"{name}.log"
        env = _server_env(data_dir, port, database_url, extra_env)
        srv = Server(
            url=f"http://127.0.0.1:{port}",
            data_dir=data_dir,
            log_path=log_path,
            frontend_stamp=_frontend_stamp(),
            env=env,
        )
        try:
            if share_with is None:
                _migrate(srv)
            _serve(srv, port)
            _wait_ready(srv)
            yield srv
        finally:
            if srv.process is not None:
                _stop(srv.process)
            if self.admin_url and pg_name:
                _postgres_drop(self.admin_url, pg_name)


def _migrate(srv: Server) -> None:
    with srv.log_path.open("ab") as log:
        log.write(b"$ manage.py migrate\n")
        log.flush()
        migrate = subprocess.run(
            [str(BACKEND_PYTHON), "manage.py", "migrate", "--no-input"],
            cwd=BACKEND_DIR,
            env=srv.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=MIGRATE_TIMEOUT_S,
            check=False,
        )
    if migrate.returncode != 0:
        pytest.fail(f"manage.py migrate failed ({migrate.returncode}):\n{srv.log_text()}", pytrace=False)


def _serve(srv: Server, port: int) -> None:
    with srv.log_path.open("ab") as log:
        log.write(f"$ manage.py serve --host 127.0.0.1 --port {port}\n".encode())
        log.flush()
        srv.process = subprocess.Popen(
            [str(BACKEND_PYTHON), "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=BACKEND_DIR,
            env=srv.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> ServerFactory:
    return ServerFactory(tmp_path_factory)


@pytest.fixture(scope="session")
def server(server_factory: ServerFactory) -> Iterator[Server]:
    """`manage.py migrate` then `manage.py serve` on a free loopback port, ready when /readyz is 200."""
    with server_factory.start() as srv:
        yield srv


@pytest.fixture(scope="session")
def sfu_server(server_factory: ServerFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """(server, Janus node): one Janus (media on veth0) and a product server in SFU mode on it,
    shared by the SFU tests that leave both alive (see sfu.py)."""
    from sfu import janus_nodes, janus_nodes_env  # Janus helpers load backend code: only when used

    directory = tmp_path_factory.mktemp("sfu")
    with (
        janus_nodes(directory, ["a"]) as nodes,
        server_factory.start(janus_nodes_env(nodes), name="sfu-server") as srv,
    ):
        yield srv, nodes[0]


def _frontend_stamp() -> float | None:
    try:
        return FRONTEND_INDEX.stat().st_mtime
    except FileNotFoundError:
        return None


def _wait_ready(srv: Server) -> None:
    assert srv.process is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    last = "no answer yet"
    with srv.http() as client:
        while time.monotonic() < deadline:
            if srv.process.poll() is not None:
                pytest.fail(
                    f"The server exited with {srv.process.returncode} before it was ready:\n{srv.log_text()}",
                    pytrace=False,
                )
            try:
                response = client.get("/readyz", timeout=5)
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:500]}"
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(0.25)
    _stop(srv.process)
    pytest.fail(
        f"The server was not ready within {READY_TIMEOUT_S} s (last /readyz: {last}).\n"
        f"Server log:\n{srv.log_text()}",
        pytrace=False,
    )


# --------------------------------------------------------------------------------------------
# Dev mailbox.
# --------------------------------------------------------------------------------------------


@pytest.fixture
def mailbox(server: Server) -> Mailbox:
    return Mailbox(server)


# --------------------------------------------------------------------------------------------
# Browser.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).exists():
        pytest.exit(f"Chromium not found at {CHROMIUM_PATH} (apt-get install -y chromium)", returncode=4)
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=os.environ.get("E2E_HEADED") != "1",
        args=CHROMIUM_ARGS,
    )
    yield browser
    browser.close()


CAMERA_WIDTH, CAMERA_HEIGHT, CAMERA_FPS = 320, 180, 15


def small_camera_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Chromium's flags with a fake camera that replays a small looping test pattern (320x180,
    15 fps), so four people in one meeting fit on two cores (SFU tests)."""
    camera = tmp_path_factory.mktemp("camera") / f"camera-{CAMERA_WIDTH}x{CAMERA_HEIGHT}-{CAMERA_FPS}.y4m"
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={CAMERA_WIDTH}x{CAMERA_HEIGHT}:rate={CAMERA_FPS}",
            "-t",
            "3",
            "-pix_fmt",
            "yuv420p",
            str(camera),
        ],
        check=True,
        timeout=60,
    )
    return [*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera}"]


@pytest.fixture(scope="session")
def small_browser(
    playwright_instance: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Chromium with the small fake camera (small_camera_args)."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=os.environ.get("E2E_HEADED") != "1",
        args=small_camera_args(tmp_path_factory),
    )
    yield browser
    browser.close()


@dataclass
class PageLog:
    lines: list[str] = field(default_factory=list)

    def attach(self, page: Page, index: int) -> None:
        def on_console(msg: ConsoleMessage) -> None:
            location = msg.location
            where = f" ({location.get('url')}:{location.get('lineNumber')})" if location else ""
            self.lines.append(f"[page{index}] console.{msg.type}: {msg.text}{where}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.lines.append(f"[page{index}] pageerror: {exc}"))
        page.on(
            "requestfailed",
            lambda req: self.lines.append(
                f"[page{index}] requestfailed: {req.method} {req.url} {req.failure}"
            ),
        )
        page.on(
            "response",
            lambda resp: (
                self.lines.append(f"[page{index}] http {resp.status}: {resp.request.method} {resp.url}")
                if resp.status >= 400
                else None
            ),
        )
        page.on("framenavigated", lambda frame: self.lines.append(f"[page{index}] navigated: {frame.url}"))


@pytest.fixture
def context(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-US",
        timezone_id="UTC",
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS * 2)
    trace = os.environ.get("E2E_TRACE") == "1"
    if trace:
        ctx.tracing.start(screenshots=True, snapshots=True)
    log = PageLog()
    pages: list[Page] = []

    def on_page(page: Page) -> None:
        pages.append(page)
        log.attach(page, len(pages))

    ctx.on("page", on_page)
    yield ctx

    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed:
        out = _artifact_dir(request.node.nodeid)
        for index, page in enumerate(pages, start=1):
            _save_page(page, out, index)
        (out / "console.log").write_text("\n".join(log.lines) + "\n")
        (out / "server.log").write_text(server.log_text(last_chars=200_000))
        if trace:
            ctx.tracing.stop(path=str(out / "trace.zip"))
        print(f"\n[e2e] failure artifacts: {out}", file=sys.stderr)
        if _frontend_stamp() != server.frontend_stamp:
            warning = (
                "frontend/dist was rebuilt while the tests ran; the server still knows the old asset"
                " names, so pages may have failed to load. Run the tests again."
            )
            (out / "WARNING.txt").write_text(warning + "\n")
            print(f"[e2e] WARNING: {warning}", file=sys.stderr)
    elif trace:
        ctx.tracing.stop()
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


class Browsers:
    """Several people at once: one browser context each (own cookies, storage and pages), made on
    demand by name ("host", "guest", ...). Artifacts of every context are kept when the test fails."""

    def __init__(self, browser: Browser, server: Server) -> None:
        self.browser = browser
        self.server = server
        self.trace = os.environ.get("E2E_TRACE") == "1"
        self.contexts: dict[str, BrowserContext] = {}
        self.pages: dict[str, list[Page]] = {}
        self.log = PageLog()
        self.page_count = 0

    def new_context(
        self,
        name: str,
        *,
        init_scripts: tuple[str, ...] = (),
        server: Server | None = None,
        timezone_id: str = "UTC",
        browser: Browser | None = None,
    ) -> BrowserContext:
        """A context for `name`, on this fixture's server or on `server` (another app node), with
        the browser's clocks in `timezone_id`; in `browser` (another Chromium process, e.g. with
        other fake devices) if given."""
        assert name not in self.contexts, f"a context named {name!r} exists already"
        ctx = (browser or self.browser).new_context(
            base_url=(server or self.server).url,
            viewport={"width": 1280, "height": 800},
            locale="en-US",
            timezone_id=timezone_id,
        )
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS * 2)
        for script in init_scripts:
            ctx.add_init_script(script)
        if self.trace:
            ctx.tracing.start(screenshots=True, snapshots=True, title=name)
        pages: list[Page] = []

        def on_page(page: Page) -> None:
            pages.append(page)
            # Console lines are numbered across everyone's pages; say whose each number is.
            self.page_count += 1
            self.log.lines.append(
                f"[page{self.page_count}] is {name}'s page {len(pages)} ({name}/page{len(pages)}.*)"
            )
            self.log.attach(page, self.page_count)

        ctx.on("page", on_page)
        self.contexts[name] = ctx
        self.pages[name] = pages
        return ctx

    def new_page(self, name: str, *, init_scripts: tuple[str, ...] = ()) -> Page:
        """A page in the context `name` (made first if needed)."""
        ctx = self.contexts.get(name) or self.new_context(name, init_scripts=init_scripts)
        return ctx.new_page()

    def close(self, name: str, *, failed: bool = False, out: Path | None = None) -> None:
        ctx = self.contexts.pop(name)
        pages = self.pages.pop(name)
        if failed and out is not None:
            for index, page in enumerate(pages, start=1):
                _save_page(page, out / name, index)
            if self.trace:
                ctx.tracing.stop(path=str(out / f"{name}-trace.zip"))
        elif self.trace:
            ctx.tracing.stop()
        ctx.close()


@pytest.fixture
def browsers(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Browsers]:
    """Contexts for several people; on failure e2e/artifacts/<test>/<name>/page1.png etc.,
    plus console.log (every page, labelled by person) and server.log."""
    yield from browsers_on(browser, server, request)


@pytest.fixture
def sfu_browsers(
    small_browser: Browser, sfu_server: tuple[Server, Any], request: pytest.FixtureRequest
) -> Iterator[Browsers]:
    """`browsers` on the shared `sfu_server`, in the small-camera browser; on failure the Janus
    node's log is kept with the artifacts too."""
    srv, node = sfu_server
    yield from browsers_on(small_browser, srv, request, extra_logs=(node.log_path,))


def browsers_on(
    browser: Browser, server: Server, request: pytest.FixtureRequest, *, extra_logs: tuple[Path, ...] = ()
) -> Iterator[Browsers]:
    """The body of the `browsers` fixture for any server; `extra_logs` (other app nodes, Janus)
    are copied into the artifacts too when the test fails."""
    people = Browsers(browser, server)
    yield people

    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )
    out: Path | None = None
    if failed:
        out = _artifact_dir(request.node.nodeid)
        for name in people.contexts:
            (out / name).mkdir(parents=True, exist_ok=True)
    for name in list(people.contexts):
        people.close(name, failed=failed, out=out)
    if failed and out is not None:
        (out / "console.log").write_text("\n".join(people.log.lines) + "\n")
        (out / "server.log").write_text(server.log_text(last_chars=200_000))
        for path in extra_logs:
            if path.exists():
                (out / path.name).write_text(path.read_text(errors="replace")[-200_000:])
        print(f"\n[e2e] failure artifacts: {out}", file=sys.stderr)
        if _frontend_stamp() != server.frontend_stamp:
            warning = (
                "frontend/dist was rebuilt while the tests ran; the server still knows the old asset"
                " names, so pages may have failed to load. Run the tests again."
            )
            (out / "WARNING.txt").write_text(warning + "\n")
            print(f"[e2e] WARNING: {warning}", file=sys.stderr)


def _artifact_dir(nodeid: str) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]
    out = ARTIFACTS_DIR / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def _save_page(page: Page, out: Path, index: int) -> None:
    if page.is_closed():
        return
    notes = [f"url: {page.url}"]
    try:
        page.screenshot(path=str(out / f"page{index}.png"), full_page=True, timeout=10_000)
    except Exception as exc:  # artifacts are best effort; the test failure is what matters
        notes.append(f"screenshot failed: {exc}")
    try:
        (out / f"page{index}.aria.yaml").write_text(page.locator("body").aria_snapshot(timeout=10_000))
    except Exception as exc:
        notes.append(f"aria snapshot failed: {exc}")
    try:
        (out / f"page{index}.html").write_text(page.content())
    except Exception as exc:
        notes.append(f"html failed: {exc}")
    (out / f"page{index}.txt").write_text("\n".join(notes) + "\n")
