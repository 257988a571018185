"""Real-browser tests: `streamlit run app.py` on a free loopback port, driven by Debian's chromium.

Adapted from ../shared/guides/streamlit-e2e/conftest.py. Playwright never downloads a browser here:
pytest-playwright is handed /usr/bin/chromium (override with $CHROMIUM). Without chromium the tests
are skipped on a developer's machine but FAIL when $CI is set, so CI cannot pass without them.
The browser may reach only the app's own loopback address (see ``offline``), so every chart and map
must draw with no network. Screenshots go to test-results/screenshots/ (not committed); the figures
of the docs (docs/img/) are written only with FLASHPOINT_DOC_SHOTS=1 (``to_docs``), and every
browser test checks that it left docs/img/ untouched otherwise, so a test run leaves the tree clean.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "screenshots"
#: The docs' figures: refreshed by the browser tests only with FLASHPOINT_DOC_SHOTS=1.
DOCS_IMG = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian package, never `playwright install`
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_configure(config):
    # pytest-playwright empties its --output folder (default test-results/) at every session start;
    # give it a subfolder so that the screenshots beside it survive.
    if getattr(config.option, "output", None) in (None, "test-results"):
        config.option.output = str(ROOT / "test-results" / "playwright")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    mine = [i for i in items if Path(str(i.fspath)).resolve().is_relative_to(Path(__file__).parent)]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or not mine:
        return
    if _in_ci():
        return  # the `browser_missing` fixture fails each test: CI must not pass without a browser
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium); required when CI is set")
    for item in mine:
        item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def browser_missing():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")


def doc_shots() -> bool:
    """True when the browser tests should refresh the docs' figures (``FLASHPOINT_DOC_SHOTS=1``)."""
    return os.environ.get("FLASHPOINT_DOC_SHOTS") == "1"


def to_docs(path: Path, name: str | None = None) -> Path | None:
    """Copy a screenshot or PDF to docs/img/ when ``FLASHPOINT_DOC_SHOTS=1``; else leave the docs alone."""
    if not doc_shots():
        return None
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(path, DOCS_IMG / (name or path.name)))


def _docs_img_state() -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in DOCS_IMG.glob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def docs_img_untouched():
    """Without FLASHPOINT_DOC_SHOTS=1 a browser test must not write docs/img/ (the tree stays clean)."""
    before = _docs_img_state()
    yield
    if not doc_shots():
        assert _docs_img_state() == before, "a browser test wrote docs/img/ without FLASHPOINT_DOC_SHOTS=1"


def stop_server(proc: subprocess.Popen, *, abrupt: bool = False) -> None:
    """Stop a server started with ``start_new_session=True`` and every process it started.

    The signal goes to the server's own process group (its PID), so the process pool's forkserver,
    workers and resource tracker stop with it instead of living on as orphans (they did: three
    processes of about 130 MB left behind by every server). ``abrupt``: SIGKILL at once, as a crash.
    """
    def group(sig: int) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    if not abrupt:
        group(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    group(signal.SIGKILL)  # what is left of the group (the pool's processes ignore the server's exit)
    proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--client.showErrorDetails", "full"],
            cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,  # its own process group: the pool's workers go with it (stop_server)
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"streamlit not healthy after 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        stop_server(proc)


# --- pytest-playwright hooks: use Debian's chromium instead of a downloaded browser ---
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(streamlit_server):              # lets tests call page.goto("/")
    return streamlit_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 3000}}


@pytest.fixture
def offline(page, base_url):
    """Block every request that does not go to the app itself; the list of blocked URLs is returned."""
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(base_url) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.context.route("**/*", route)
    return blocked


@pytest.fixture
def shot(page):
    """``shot(name)`` saves a screenshot of the page under test-results/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
