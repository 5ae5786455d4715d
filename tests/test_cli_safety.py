"""The command line never destroys a file: `-o` onto the input, FIFOs, symlinks, full disks; stdin limits."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from vcf_desktop.cli import main
from vcf_desktop.domain.casefile import MAX_BYTES

EXAMPLES = Path(__file__).parent / "examples"
DEMO = EXAMPLES / "typical-l2-wedge.json"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_bytes(DEMO.read_bytes())
    return path


@pytest.mark.parametrize("fmt", ["json", "text", "html", "pdf"])
def test_output_onto_the_input_is_refused(case: Path, capsys: pytest.CaptureFixture[str], fmt: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    before = case.read_bytes()
    code, _, err = run(capsys, "plan", str(case), "--format", fmt, "-o", str(case))
    assert code == 2 and "is the input file" in err
    monkeypatch.chdir(case.parent)
    assert run(capsys, "plan", "case.json", "--format", fmt, "-o", "./case.json")[0] == 2
    assert case.read_bytes() == before
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.json"]


@posix_only
def test_output_onto_the_input_through_links_is_refused(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = case.read_bytes()
    (case.parent / "hard.json").hardlink_to(case)
    (case.parent / "soft.json").symlink_to(case)
    assert run(capsys, "plan", str(case), "-o", str(case.parent / "hard.json"))[0] == 2
    code, _, err = run(capsys, "plan", str(case.parent / "soft.json"), "-o", str(case))
    assert code == 2 and "is the input file" in err
    assert case.read_bytes() == before


@posix_only
def test_fifo_device_and_symlink_targets_are_refused_without_hanging(case: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    fifo = case.parent / "out.fifo"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "plan", str(case), "--format", "text", "-o", str(fifo))
    assert code == 2 and "named pipe" in err
    assert run(capsys, "plan", str(case), "-o", "/dev/null")[0] == 2
    link = case.parent / "stdout.txt"
    link.symlink_to("/dev/stdout")
    code, out, err = run(capsys, "plan", str(case), "-o", str(link))
    assert code == 2 and "symbolic link" in err and out == ""


def test_read_only_output_is_refused(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = case.parent / "plan.json"
    out.write_text("OLD")
    out.chmod(0o444)
    code, _, err = run(capsys, "plan", str(case), "-o", str(out))
    assert code == 2 and "read-only" in err and out.read_text() == "OLD"


def test_pdf_onto_a_full_disk_keeps_the_old_pdf_and_fails(case: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = case.parent / "plan.pdf"
    assert run(capsys, "plan", str(case), "--format", "pdf", "-o", str(out))[0] == 0
    good = out.read_bytes()
    real_write, sent = os.write, [0]

    def write(fd: int, data: bytes) -> int:  # the disk fills up after 10 kB
        if sent[0] >= 10_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[:10_000 - sent[0]]))
        sent[0] += n
        return n

    monkeypatch.setattr(os, "write", write)
    code, _, err = run(capsys, "plan", str(case), "--format", "pdf", "-o", str(out), "--audience", "patient")
    assert code == 1
    assert err.strip() == f"vcf-desktop: cannot write {out}: No space left on device"
    assert out.read_bytes() == good
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.json", "plan.pdf"]


def test_a_pdf_that_does_not_parse_back_is_not_put_in_place(case: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that silently truncates (a short write reported as success) is caught by the PDF check."""
    out = case.parent / "plan.pdf"
    out.write_bytes(b"%PDF-1.4 old and good")
    from vcf_desktop.domain import safe_write

    real = safe_write._read_back
    monkeypatch.setattr(safe_write, "_read_back", lambda fd: real(fd)[:45_000])
    monkeypatch.setattr(safe_write, "write_bytes", safe_write.write_bytes)
    code, _, err = run(capsys, "plan", str(case), "--format", "pdf", "-o", str(out))
    assert code == 1 and "cannot write" in err
    assert out.read_bytes() == b"%PDF-1.4 old and good"


@posix_only
def test_a_fifo_as_the_case_file_is_refused_without_blocking(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "case.fifo"
    os.mkfifo(fifo)
    result: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: result.append(run(capsys, "validate", str(fifo))), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    code, _, err = result[0]
    assert code == 2 and "named pipe (FIFO)" in err
    code, _, err = run(capsys, "validate", "/dev/zero")
    assert code == 2 and "a device" in err


def test_endless_stdin_stops_at_the_limit() -> None:
    """`validate - < /dev/zero`: the limit is applied while reading, so this ends at once, in little memory."""
    with open(os.devnull if os.name != "posix" else "/dev/zero", "rb") as zero:
        out = subprocess.run([sys.executable, "-m", "vcf_desktop", "validate", "-"], stdin=zero,
                             capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2
    assert "too large: more than 1 MiB" in out.stderr


def test_stdin_read_stops_at_the_limit_in_process(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import io

    class Endless(io.RawIOBase):
        served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            Endless.served += len(buffer)
            buffer[:] = b"0" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    code, _, err = run(capsys, "validate", "-")
    assert code == 2 and "too large" in err
    assert Endless.served < 2 * MAX_BYTES


def test_non_utf8_stdin_gets_a_short_message(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import io

    document = DEMO.read_bytes().replace(b"typical", b"typ\xe9cal")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document)))
    code, _, err = run(capsys, "validate", "-")
    assert code == 2
    assert "<stdin>: not UTF-8 text: byte 0xE9 at offset" in err
    assert len(err) < 400 and "patient" not in err


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 320 kB filesystem (tmpfs; needs root and permission to mount, else the test is skipped)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if made.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, check=False)


def test_pdf_onto_a_really_full_filesystem(small_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = small_disk / "plan.pdf"
    assert run(capsys, "plan", str(DEMO), "--format", "pdf", "-o", str(out))[0] == 0
    good = out.read_bytes()
    assert len(good) > (320 * 1024) // 2  # a second copy cannot fit beside it
    code, _, err = run(capsys, "plan", str(DEMO), "--format", "pdf", "-o", str(out))
    assert code == 1 and "No space left on device" in err
    assert out.read_bytes() == good
    assert [p.name for p in small_disk.iterdir()] == ["plan.pdf"]


@pytest.mark.parametrize("damage", ["truncated", "page count"])
def test_a_rendered_pdf_that_is_not_whole_is_never_put_in_place(case: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    """The PDF writer's own check: what Qt produced is parsed back (trailer, page count) before the rename."""
    from vcf_desktop.report import pdf

    out = case.parent / "plan.pdf"
    out.write_bytes(b"%PDF-1.4 the old, good one")
    real = pdf.render_pdf

    def damaged(*args, **kwargs):  # type: ignore[no-untyped-def]
        data, pages = real(*args, **kwargs)
        return (data[: len(data) * 2 // 3], pages) if damage == "truncated" else (data, pages + 1)

    monkeypatch.setattr(pdf, "render_pdf", damaged)
    code, _, err = run(capsys, "plan", str(case), "--format", "pdf", "-o", str(out))
    assert code == 1 and "did not verify" in err
    assert out.read_bytes() == b"%PDF-1.4 the old, good one"
    assert sorted(p.name for p in case.parent.iterdir()) == ["case.json", "plan.pdf"]
