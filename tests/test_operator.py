"""What an operator running congvan nightly relies on: one runner and one output namer for every
command, error classes that carry their exit code and stage, user errors in one line, Ctrl-C and a
closed pipe handled, `serve` checking its arguments first, progress on long work, the layers of
the folder tree kept, the main job's samples, lint, and the README's command reference."""
from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import main, parser
from pipeline.errors import FILE_ERRORS, CongvanError, ExitCode, Stage
from pipeline.runner import FAILED, OutputNamer, RunReport, extract_item, find_inputs, run

REPO = Path(__file__).resolve().parents[1]
OLD = time.time() - 3600


def letter(base: str, number: int) -> str:
    return base.replace("Số: 12/UBND-VP", f"Số: {number}/UBND-VP")


def congvan(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *argv], cwd=REPO, capture_output=True, text=True,
                          timeout=300, **kwargs)


# --- errors --------------------------------------------------------------------------------------

def test_every_file_error_carries_its_exit_code_and_stage():
    codes = {}
    for name, cls in FILE_ERRORS.items():
        assert isinstance(cls.exit_code, ExitCode) and isinstance(cls.stage, Stage), name
        codes.setdefault(cls.exit_code, []).append(name)
    assert all(len(names) == 1 for names in codes.values()), codes  # one reason, one code
    assert FILE_ERRORS["EncryptedPdfError"].stage == Stage.DECODE
    assert FILE_ERRORS["OcrRequiredError"].stage == Stage.OCR
    assert FILE_ERRORS["StoreWriteError"].stage == Stage.STORE and int(FILE_ERRORS["StoreWriteError"].exit_code) == 18


def test_a_failed_file_keeps_its_stage_in_its_result(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    [item] = OutputNamer(tmp_path / "out").plan([tmp_path / "broken.pdf"])
    result = extract_item(item)
    assert result.status == FAILED and result.error is not None
    assert (result.error.type, result.error.stage, result.error.exit_code) == ("CorruptPdfError", "decode", 11)
    assert isinstance(result.error.as_error("broken.pdf"), CongvanError)


# --- one runner, one namer -------------------------------------------------------------------------

def test_the_namer_gives_clashing_stems_their_own_json(tmp_path, letter_text):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "cv.txt").write_text(letter_text, encoding="utf-8")
    namer = OutputNamer(tmp_path / "out")
    first, second = namer.plan([tmp_path / "a" / "cv.txt", tmp_path / "b" / "cv.txt"])
    assert Path(first.output).name == "cv.json"
    assert re.fullmatch(r"cv-[0-9a-f]{8}\.json", Path(second.output).name)
    assert namer.notes and "cv.json is taken by" in namer.notes[0]
    again = OutputNamer(tmp_path / "out").plan([tmp_path / "a" / "cv.txt", tmp_path / "b" / "cv.txt"])
    assert [i.output for i in again] == [first.output, second.output]  # the same names every run


def test_inbox_files_of_one_stem_each_keep_their_json(tmp_path, letter_text, write_pdf):
    from pipeline.inbox import InboxOptions, run_once
    from pipeline.store import Store

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "cv.txt").write_text(letter(letter_text, 701), encoding="utf-8")
    write_pdf(inbox / "cv.pdf", [letter(letter_text, 702).splitlines()])
    for p in inbox.iterdir():
        os.utime(p, (OLD, OLD))
    options = InboxOptions(min_age=60, settle=0, workers=1)
    with Store(str(tmp_path / "s.db")) as store:
        report = run_once(inbox, out, store, options)
        assert sorted(r.status for r in report.results) == ["stored", "stored"]
        outputs = sorted(out.iterdir())
        assert len(outputs) == 2
        keys = {json.loads(p.read_text("utf-8"))["documents"][0]["key"] for p in outputs}
        assert keys == {"701/UBND-VP", "702/UBND-VP"}
        # the next night, another letter under last night's name: last night's JSON is kept
        (inbox / "cv.txt").write_text(letter(letter_text, 703), encoding="utf-8")
        os.utime(inbox / "cv.txt", (OLD, OLD))
        run_once(inbox, out, store, options)
    keys = {json.loads(p.read_text("utf-8"))["documents"][0]["key"] for p in out.iterdir()}
    assert keys == {"701/UBND-VP", "702/UBND-VP", "703/UBND-VP"}


def test_find_inputs_takes_folders_flat_or_recursive_and_globs(tmp_path, letter_text):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for path in ("a/1.txt", "a/deep/2.txt", "a/.hidden.txt", "a/notes.md"):
        (tmp_path / path).write_text(letter_text, encoding="utf-8")
    flat, _ = find_inputs([str(tmp_path / "a")])
    deep, _ = find_inputs([str(tmp_path / "a")], recursive=True)
    globbed, _ = find_inputs([str(tmp_path / "a" / "**" / "*.txt")])
    assert [p.name for p in flat] == ["1.txt"]
    assert [p.name for p in deep] == ["1.txt", "2.txt"] and [p.name for p in globbed] == ["1.txt", "2.txt"]


def test_a_report_exits_with_the_first_failed_inputs_code(tmp_path, letter_text):
    (tmp_path / "good.txt").write_text(letter_text, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "out").mkdir()
    items = OutputNamer(tmp_path / "out").plan([tmp_path / "bad.pdf", tmp_path / "good.txt", tmp_path / "empty.txt"])
    report = run(items)
    assert [r.status for r in report.results] == ["failed", "written", "failed"]
    assert report.exit_code() == ExitCode.CORRUPT_PDF
    assert RunReport(interrupted=True).exit_code() == ExitCode.INTERRUPTED


# --- the command line ------------------------------------------------------------------------------

@pytest.mark.parametrize("argv,says", [
    (["extract", "x.txt", "--out", "o", "--max-size", "-1"], "argument --max-size: must be more than 0, not -1"),
    (["extract", "x.txt", "--out", "o", "--max-size", "lots"], "argument --max-size: not a number of MiB"),
    (["ingest", "x.txt", "--workers", "0"], "argument --workers: must be 1 or more, not 0"),
    (["obligations", "--today", "yesterday"], "argument --today: not a date (YYYY-MM-DD)"),
    (["obligations", "--status", "late"], "argument --status: invalid choice"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_bad_options_are_one_line(argv, says, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("congvan: error: congvan") and says in err and "--help" in err


@pytest.mark.parametrize("db,code,says", [
    ("nosuchdialect://x/y", 78, "is not a database URL congvan can use"),
    ("postgresql://nobody:secret@127.0.0.1:9/none", 69, "cannot open the store postgresql+psycopg://nobody:***@"),
])
def test_a_bad_database_is_one_line(tmp_path, db, code, says, letter_text):
    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    done = congvan("ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet")
    assert done.returncode == code and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and says in done.stderr and "secret" not in done.stderr


def test_a_closed_pipe_is_one_line_and_exit_141(tmp_path, letter_text):
    for n in range(40):
        (tmp_path / f"{n}.txt").write_text(letter(letter_text, 800 + n), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert congvan("ingest", str(tmp_path), "--db", db, "--quiet").returncode == 0
    # far more than a pipe holds (64 KiB), so that congvan is still writing when the reader goes
    reader = subprocess.Popen([sys.executable, "-m", "cli.main", "obligations", "--all", "--status", "all",
                               "--format", "json", "--db", db], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reader.stdout.readline()  # `| head -1`
    reader.stdout.close()
    err = reader.stderr.read()
    assert reader.wait(timeout=60) == 141
    assert "Traceback" not in err and err.strip() == "congvan: error: standard output was closed before the end; output stopped"


def test_ctrl_c_exits_130_with_a_summary(tmp_path, letter_text):
    for n in range(300):
        (tmp_path / "in" / f"{n:03}.txt").parent.mkdir(exist_ok=True)
        (tmp_path / "in" / f"{n:03}.txt").write_text(letter(letter_text, 900 + n), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", str(tmp_path / "in"), "--db",
                                str(tmp_path / "s.db")], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    while "[5/300]" not in (process.stderr.readline() or "[5/300]"):
        pass
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert re.search(r"congvan: interrupted: \d+ of 300 file\(s\) done \(\d+ stored\); run the same command again", err)
    assert "This run" in out  # the summary of what was stored


def test_serve_checks_its_arguments_before_it_starts(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    base = ["--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db")]
    assert main(["serve", str(inbox), *base]) == 2
    assert "is not a folder" in capsys.readouterr().err
    inbox.mkdir()
    assert main(["serve", str(inbox), "--cron", "0 25 * * *", *base]) == 2
    assert "--cron '0 25 * * *' is not a cron schedule" in capsys.readouterr().err
    assert main(["serve", str(inbox), "--timezone", "Asia/Hanoi-ish", *base]) == 2
    assert "--timezone 'Asia/Hanoi-ish' is not a time zone" in capsys.readouterr().err


# --- progress --------------------------------------------------------------------------------------

def test_progress_lines_per_page_and_per_file():
    import io

    from cli.render import RunProgress
    from pipeline.runner import FileResult, Item

    stream = io.StringIO()
    progress = RunProgress(file=stream)
    progress.start(2)
    item = Item("scan.tif", "scan.tif", None)
    progress.file_started(item)
    progress.page(1, 2)
    progress.page(2, 2)
    progress.file_done(FileResult(item, "written"))
    assert stream.getvalue().splitlines() == ["  scan.tif: OCR page 1 of 2", "  scan.tif: OCR page 2 of 2",
                                              "[1/2] scan.tif: written"]


@pytest.mark.tesseract
def test_extract_shows_progress_per_page_of_a_real_scan(tmp_path):
    from PIL import Image

    page = REPO / "data" / "samples" / "received" / "anh-cong-van-3852-syt-tay-ninh.jpg"
    image = Image.open(page).convert("L")
    image.save(tmp_path / "two-pages.tif", save_all=True, append_images=[image.copy()], dpi=(300, 300))
    done = congvan("extract", str(tmp_path / "two-pages.tif"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    pages = [line for line in lines if "two-pages.tif: OCR page" in line]
    assert pages == [f"  {tmp_path / 'two-pages.tif'}: OCR page {n} of 2" for n in (1, 2)]
    assert lines[-1] == f"[1/1] {tmp_path / 'two-pages.tif'}: written"


# --- the folder tree's layers ----------------------------------------------------------------------

LAYERS = ["schemas", "extractors", "pipeline", "flows", "cli"]  # each may import only those before it


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for rank, layer in enumerate(LAYERS):
        above = set(LAYERS[rank + 1:])
        for path in (REPO / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
                wrong += [f"{path.relative_to(REPO)} imports {n}" for n in names if n.split(".")[0] in above]
    assert wrong == []


# --- the main job ----------------------------------------------------------------------------------

def test_the_received_samples_are_what_the_renderer_builds(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import render_scans
    finally:
        sys.path.remove(str(REPO / "scripts"))
    built = render_scans.received(tmp_path)
    assert sorted(p.name for p in built) == sorted(p.name for p in (REPO / "data" / "samples" / "received").iterdir()
                                                    if p.suffix != ".md")
    for path in built:
        assert path.read_bytes() == (REPO / "data" / "samples" / "received" / path.name).read_bytes()


def test_check_run_output_wants_the_scans_json_too(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import check_run_output
    finally:
        sys.path.remove(str(REPO / "scripts"))
    samples, out = REPO / "data" / "samples", tmp_path / "out"
    out.mkdir()
    for path in samples.glob("*.txt"):
        (out / f"{path.stem}.json").write_text(json.dumps({"documents": [{}]}), encoding="utf-8")
    missing = check_run_output.problems(samples, out)
    assert missing and all("received/" in line for line in missing)
    assert len(missing) == len([p for p in (samples / "received").iterdir() if p.suffix != ".md"])


# --- lint --------------------------------------------------------------------------------------------

def test_ruff_and_mypy_pass():
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run([str(bin_dir / "ruff"), "check", "."], cwd=REPO, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run([str(bin_dir / "mypy")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert mypy.returncode == 0, mypy.stdout


# --- the README ------------------------------------------------------------------------------------

def test_the_readme_lists_every_command_and_exit_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Command reference", 1)[1].split("\n## ", 1)[0]
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert re.search(rf"^### .*`congvan {name}\b", reference, re.M), f"congvan {name} is not in the reference"
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", reference, re.M), f"exit code {int(code)} ({code.name}) is not listed"


def test_no_module_reaches_into_another_modules_private_names():
    """flows/inbox.py once set flows/bulk.py's _POOL; what modules share is public (flows/tasks.py)."""
    wrong = []
    for layer in LAYERS:
        for path in (REPO / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            modules = {alias.asname or alias.name.split(".")[-1] for node in ast.walk(tree)
                       if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names
                       if (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0] in LAYERS}
            wrong += [f"{path.relative_to(REPO)}:{node.lineno} {node.value.id}.{node.attr}" for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                      and node.value.id in modules and node.attr.startswith("_") and not node.attr.startswith("__")]
    assert wrong == []


def test_a_stored_file_whose_json_is_gone_gets_its_json_again(tmp_path, letter_text):
    from pipeline.store import Store

    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with Store(str(tmp_path / "s.db")) as store:
        items = OutputNamer(out).plan([tmp_path / "a.txt"])
        assert [r.status for r in run(items, store=store).results] == ["stored"]
        assert [r.status for r in run(items, store=store).results] == ["unchanged"]
        (out / "a.json").unlink()  # `rm -rf out/` and `make run` again
        again = run(items, store=store).results
    assert [r.status for r in again] == ["unchanged"] and (out / "a.json").is_file()
