"""bin/ensure-chromium on made-up machines: PATH holds only stand-ins for chromium, apt-get and
id, and a stand-in `playwright` package records what would be downloaded. No network."""

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "bin" / "ensure-chromium"
BASH = shutil.which("bash")
NO_PYTHON = "/nonexistent/python"
WHAT_TO_RUN = (
    "ensure-chromium: no Chromium for the browser tests and none could be installed: run "
    '"apt-get install -y chromium" as root (Debian), or ".venv/bin/python -m playwright '
    'install chromium" with internet access, then "make test" again'
)


@dataclass
class Machine:
    root: Path
    bin: Path
    python: str = sys.executable

    @property
    def playwright_chrome(self) -> Path:
        return self.root / "ms-playwright" / "chromium-1" / "chrome"

    def run(self) -> subprocess.CompletedProcess:
        return subprocess.run(
            [BASH, str(SCRIPT), self.python],
            env={
                "PATH": str(self.bin),
                "HOME": str(self.root),
                "TMPDIR": str(self.root),
                "PYTHONPATH": str(self.root),
            },
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    def calls(self, command: str) -> list[str]:
        log = self.root / f"{command}.calls"
        return log.read_text().splitlines() if log.exists() else []


def _command(path: Path, source: str) -> None:
    """A stand-in command: a Python script that PATH finds."""
    path.write_text(f"#!{sys.executable}\n" + textwrap.dedent(source))
    path.chmod(0o755)


def _machine(
    tmp_path,
    *,
    uid=0,
    chromium=False,
    apt=None,
    download_works=True,
    downloaded=False,
    python=sys.executable,
) -> Machine:
    """apt: None (no apt-get), "works" (installs chromium) or "no chromium" (Ubuntu's case)."""
    machine = Machine(root=tmp_path, bin=tmp_path / "bin", python=python)
    machine.bin.mkdir()
    _command(machine.bin / "id", f"print({uid})\n")
    if chromium:
        _command(machine.bin / "chromium", "")
    if apt is not None:
        _command(
            machine.bin / "apt-get",
            f"""
            import pathlib, sys
            with open({str(tmp_path / "apt-get.calls")!r}, "a") as calls:
                calls.write(" ".join(sys.argv[1:]) + "\\n")
            if sys.argv[1] == "install":
                if {apt == "no chromium"}:
                    sys.exit("E: Unable to locate package chromium")
                chromium = pathlib.Path({str(machine.bin / "chromium")!r})
                chromium.write_text("#!/bin/sh\\n")
                chromium.chmod(0o755)
            """,
        )
    package = tmp_path / "playwright"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sync_api.py").write_text(
        textwrap.dedent(
            f"""
            import contextlib, types

            @contextlib.contextmanager
            def sync_playwright():
                chromium = types.SimpleNamespace(executable_path={str(machine.playwright_chrome)!r})
                yield types.SimpleNamespace(chromium=chromium)
            """
        )
    )
    (package / "__main__.py").write_text(
        textwrap.dedent(
            f"""
            import pathlib, sys
            with open({str(tmp_path / "playwright.calls")!r}, "a") as calls:
                calls.write(" ".join(sys.argv[1:]) + "\\n")
            if not {download_works}:
                sys.exit("Error: download failed")
            chrome = pathlib.Path({str(machine.playwright_chrome)!r})
            chrome.parent.mkdir(parents=True)
            chrome.write_text("")
            """
        )
    )
    if downloaded:
        machine.playwright_chrome.parent.mkdir(parents=True)
        machine.playwright_chrome.write_text("")
    return machine


def test_debian_chromium_on_path_is_used_and_nothing_is_installed(tmp_path):
    machine = _machine(tmp_path, chromium=True, apt="works")

    result = machine.run()

    assert result.returncode == 0
    assert result.stdout == (
        f"ensure-chromium: using Debian's chromium, {machine.bin}/chromium (already installed)\n"
    )
    assert machine.calls("apt-get") == []
    assert machine.calls("playwright") == []


def test_root_with_apt_installs_debian_chromium_once(tmp_path):
    machine = _machine(tmp_path, apt="works")

    first, second = machine.run(), machine.run()

    assert first.returncode == 0
    assert first.stdout.splitlines()[-1] == (
        f"ensure-chromium: installed Debian's chromium: {machine.bin}/chromium"
    )
    assert machine.calls("apt-get") == ["update -qq", "install -y -qq chromium"]
    assert second.returncode == 0
    assert "already installed" in second.stdout
    assert machine.calls("playwright") == []


def test_root_without_debian_chromium_package_gets_playwright_chromium_and_its_libraries(
    tmp_path,
):
    machine = _machine(tmp_path, apt="no chromium")

    result = machine.run()

    assert result.returncode == 0
    assert (
        "ensure-chromium: apt-get could not install chromium: E: Unable to locate package chromium"
        f" (output in {tmp_path}/ensure-chromium."
    ) in result.stdout
    assert machine.calls("playwright") == ["install chromium --with-deps"]
    assert result.stdout.splitlines()[-1] == (
        f"ensure-chromium: installed Playwright's Chromium: {machine.playwright_chrome}"
    )


def test_non_root_downloads_playwright_chromium_without_apt_get(tmp_path):
    machine = _machine(tmp_path, uid=1000, apt="works")

    result = machine.run()

    assert result.returncode == 0
    assert machine.calls("apt-get") == []
    assert machine.calls("playwright") == ["install chromium"]
    assert result.stdout.splitlines()[-1] == (
        f"ensure-chromium: installed Playwright's Chromium: {machine.playwright_chrome}"
    )


def test_root_without_apt_downloads_playwright_chromium(tmp_path):
    machine = _machine(tmp_path, uid=0, apt=None)

    result = machine.run()

    assert result.returncode == 0
    assert machine.calls("playwright") == ["install chromium"]


def test_playwright_chromium_already_downloaded_is_used_and_nothing_is_installed(tmp_path):
    machine = _machine(tmp_path, apt="works", downloaded=True)

    result = machine.run()

    assert result.returncode == 0
    assert result.stdout == (
        f"ensure-chromium: using Playwright's Chromium, {machine.playwright_chrome} "
        "(already installed)\n"
    )
    assert machine.calls("apt-get") == []
    assert machine.calls("playwright") == []


def test_without_apt_or_playwright_fails_with_one_line_saying_what_to_run(tmp_path):
    machine = _machine(tmp_path, uid=1000, python=NO_PYTHON)

    result = machine.run()

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == WHAT_TO_RUN + "\n"


def test_failed_download_is_reported_then_the_line_saying_what_to_run(tmp_path):
    machine = _machine(tmp_path, uid=1000, download_works=False)

    result = machine.run()

    assert result.returncode == 1
    assert machine.calls("playwright") == ["install chromium"]
    assert "Playwright could not download Chromium: Error: download failed" in result.stdout
    assert result.stderr == WHAT_TO_RUN + "\n"
