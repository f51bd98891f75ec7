"""Extraction accuracy on every shared set, and what a change gained and lost, letter by letter.

    python benchmarks/accuracy.py [--sets dev,dev2,silver,realscans] [--save RUN.json]
                                  [--against RUN.json] [--pred DIR] [--pages-from DIR] [--misses]

Every input of each set goes through the runner's own path (pipeline.runner.extract_batch: the
same reader, extractors and JSON), then the set's own scorer in ../shared/eval scores the JSON:

- dev + dev2 together, and dev alone: score.py (each part's F1 and the total);
- silver: score_silver.py (key, date, signer, type; letters with no output);
- realscans: score_realscans.py (key, symbol, date, month, type, issuer, signer; no output).

Each letter also gets a score of its own (score.py's total for that file alone; for silver and the
real scans the share of its fields that are right), so `--save` keeps a run and `--against` lists
the letters that gained and lost since a saved run (of main, before the change), worst loss first:
run it on every change and keep what does not lose.

The real scans are OCR'd (minutes); `--pages-from DIR` re-extracts them from the pages (text and
word boxes) of an earlier run's JSON in DIR/realscans/ instead, for changes to the extractors only.
The sets are read from ../shared/eval and never copied: predictions go to a temporary folder, or to
`--pred DIR` to keep them.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractors import extract_documents
from pipeline.runner import OutputNamer, cores, extract_batch, find_inputs, make_batches
from pipeline.output import render_json, write_atomic
from schemas import ExtractionResult

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
SETS = ("dev", "dev2", "silver", "realscans")
# the inputs of each set: the text copies, or the scans
INPUT_GLOBS = {"dev": ("*.txt",), "dev2": ("*.txt",), "silver": ("*.txt",),
               "realscans": ("*.pdf", "*.jpg", "*.jpeg", "*.png", "*.tif", "*.tiff")}
# a letter whose own score moved by less than this is unchanged
CHANGE_EPSILON = 1e-6


def extract_set(name: str, pred: Path, pages_from: Path | None) -> list[str]:
    """Write PRED/<stem>.json for every input of the set; return the inputs that failed, with why."""
    folder = EVAL / name
    paths = sorted(str(p) for pattern in INPUT_GLOBS[name] for p in folder.glob(pattern))
    inputs, _ = find_inputs(paths)
    items = OutputNamer(pred).plan(inputs)
    pred.mkdir(parents=True, exist_ok=True)
    if pages_from is not None and name == "realscans":
        return [failure for item in items if item.output
                and (failure := _reextract(Path(item.output), pages_from / name / Path(item.output).name))]
    batches = make_batches(items)  # the page files of one letter in one batch, joined
    workers = min(len(batches), cores()) if name == "realscans" else 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = [r for done in pool.map(extract_batch, batches) for r in done]
    else:
        results = [r for batch in batches for r in extract_batch(batch, ocr_workers=None)]
    return [f"{Path(r.name).name}: {r.error.status}: {r.error.message}" for r in results if r.error is not None]


def _reextract(output: Path, earlier: Path) -> str | None:
    """Extract again from the pages an earlier run read (no OCR)."""
    if not earlier.is_file():
        return f"{earlier.name}: no earlier JSON to take pages from"
    result = ExtractionResult.model_validate_json(earlier.read_bytes())
    if any(w.code == "joined_into" for w in result.warnings):  # its pages are read with the file before it
        write_atomic(output, earlier.read_bytes())
        return None
    documents, warnings = extract_documents([page.text for page in result.pages], [page.words for page in result.pages])
    if not documents:
        return f"{earlier.name}: not a letter"
    kept = [w for w in result.warnings if w.code not in {x.code for x in warnings}]
    write_atomic(output, render_json(result.model_copy(update={"documents": documents, "warnings": kept + warnings})))
    return None


def _scorer_module():  # noqa: ANN202 - ../shared/eval/score.py as a module, to score one letter at a time
    spec = importlib.util.spec_from_file_location("congvan_eval_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_gold_sets(names: list[str], preds: dict[str, Path]) -> tuple[dict, dict[str, float]]:
    """score.py over the gold sets together: its report, and each letter's total alone."""
    score = _scorer_module()
    whole = score.Scorer()
    per_letter: dict[str, float] = {}
    for name in names:
        for gold_path in sorted((EVAL / name).glob("*.gold.json")):
            stem = gold_path.name[: -len(".gold.json")]
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            pred_path = preds[name] / f"{stem}.json"
            pred = json.loads(pred_path.read_text(encoding="utf-8")) if pred_path.exists() else None
            whole.score_file(f"{name}/{stem}", gold, pred)
            alone = score.Scorer()
            alone.score_file(stem, gold, pred)
            per_letter[f"{name}/{stem}"] = alone.report()["total"]
    return whole.report(), per_letter


def score_silver(pred: Path) -> tuple[str, dict[str, float], list[str]]:
    """score_silver.py's summary line, each letter's share of right fields, and its misses."""
    out = _run([str(EVAL / "score_silver.py"), "--pred", str(pred), "--misses"])
    lines = out.strip().splitlines()
    fields = {"key", "date", "signer", "doc_type"}
    wrong: dict[str, int] = {}
    for line in lines[:-1]:
        stem, _, rest = line.partition(" ")
        if line.endswith(": no output"):
            wrong[line[: -len(": no output")]] = len(fields)
        elif rest.split(":")[0] in fields:
            wrong[stem] = wrong.get(stem, 0) + 1
    per_letter = {f"silver/{p.name[: -len('.labels.json')]}": 1 - wrong.get(p.name[: -len(".labels.json")], 0) / len(fields)
                  for p in sorted((EVAL / "silver").glob("*.labels.json"))}
    return lines[-1], per_letter, lines[:-1]


def score_realscans(pred: Path) -> tuple[str, dict[str, float], list[str]]:
    """score_realscans.py's summary line, each letter's share of right fields, and its rows."""
    out = _run([str(EVAL / "score_realscans.py"), str(EVAL / "realscans"), str(pred)])
    lines = out.strip().splitlines()
    fields = 7
    per_letter: dict[str, float] = {}
    for row in lines[:-1]:
        stem, _, verdict = row.partition(" ")
        verdict = verdict.strip()
        missed = fields if verdict == "NO OUTPUT" else len(re.findall(r"(?:^| )\w+:want ", verdict))
        per_letter[f"realscans/{stem.strip()}"] = 1 - missed / fields
    return lines[-1], per_letter, lines[:-1]


def _run(command: list[str]) -> str:
    return subprocess.run([sys.executable, *command], capture_output=True, text=True, check=True).stdout


# How a web copy or a scan loses a letter's header: it starts at "Kính gửi", at the first paragraph of
# the body, or some lines down.
_KINH_GUI = re.compile(r"^\W*Kính\s+gửi", re.M)
_BODY_WORDS = 12
_DROPPED_LINES = 10


def headless_check(names: list[str]) -> tuple[int, list[str]]:
    """Every text letter of the sets with its header cut off three ways: how many cuts were tried, and
    those that gave no document (a letter without its header block is still a letter)."""
    tried, lost = 0, []
    for name in names:
        if name == "realscans":
            continue
        for path in sorted((EVAL / name).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            cuts = {"from-kinh-gui": text[m.start():] if (m := _KINH_GUI.search(text)) else None,
                    "from-body": next(("\n".join(lines[i:]) for i, ln in enumerate(lines) if len(ln.split()) >= _BODY_WORDS), None),
                    f"without-{_DROPPED_LINES}-lines": "\n".join(lines[_DROPPED_LINES:])}
            for cut, rest in cuts.items():
                if rest is None:
                    continue
                tried += 1
                if not extract_documents([rest])[0]:
                    lost.append(f"{name}/{path.stem} {cut}")
    return tried, lost


def print_gold_report(title: str, report: dict) -> None:
    def fmt(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    print(f"\n## {title}\n")
    print(f"{'part':18} {'prec':>6} {'recall':>6} {'f1':>6}   tp/fp/fn")
    rows = dict(report["parts"], documents=report["documents"], roles=report["roles"])
    for name, row in rows.items():
        print(f"{name:18} {fmt(row['precision'])} {fmt(row['recall'])} {fmt(row['f1'])}   "
              f"{row['tp']}/{row['fp']}/{row['fn']}")
    for name, row in report["header_fields"].items():
        print(f"  header.{name:10} {fmt(row['recall'])}")
    print(f"total {report['total']:.3f}")


def compare(now: dict[str, float], before: dict[str, float]) -> None:
    """Letters that gained and lost against a saved run, worst loss first."""
    changed = sorted((now.get(k, 0.0) - before.get(k, 0.0), k) for k in set(now) | set(before)
                      if abs(now.get(k, 0.0) - before.get(k, 0.0)) > CHANGE_EPSILON)
    lost = [(d, k) for d, k in changed if d < 0]
    gained = [(d, k) for d, k in reversed(changed) if d > 0]
    print(f"\n## Against the saved run: {len(gained)} letters gained, {len(lost)} lost\n")
    for label, rows in (("lost", lost), ("gained", gained)):
        for delta, letter in rows:
            print(f"{label:6} {delta:+.3f}  {before.get(letter, 0.0):.3f} -> {now.get(letter, 0.0):.3f}  {letter}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated, of: " + ", ".join(SETS))
    parser.add_argument("--save", type=Path, help="keep this run's scores (for --against later)")
    parser.add_argument("--against", type=Path, help="a run saved with --save: list what gained and lost")
    parser.add_argument("--pred", type=Path, help="write the predictions here (default: a temporary folder)")
    parser.add_argument("--pages-from", type=Path, help="a --pred folder of an earlier run: re-extract the "
                        "real scans from its pages instead of OCR")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    names = [n for n in args.sets.split(",") if n]
    unknown = set(names) - set(SETS)
    if unknown or not (EVAL / "score.py").exists():
        print(f"unknown sets {sorted(unknown)}" if unknown else f"no scorer at {EVAL}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        root = args.pred or Path(tmp)
        preds = {name: root / name for name in names}
        failed: dict[str, list[str]] = {name: extract_set(name, preds[name], args.pages_from) for name in names}
        summary: dict[str, object] = {}
        letters: dict[str, float] = {}
        gold_sets = [n for n in names if n in ("dev", "dev2")]
        if gold_sets:
            report, per_letter = score_gold_sets(gold_sets, preds)
            letters.update(per_letter)
            print_gold_report(" + ".join(gold_sets) + " (score.py)", report)
            summary["gold"] = {"total": report["total"], "parts": {k: v["f1"] for k, v in report["parts"].items()}}
            if "dev" in gold_sets and len(gold_sets) > 1:
                dev_report, _ = score_gold_sets(["dev"], preds)
                print(f"dev alone: total {dev_report['total']:.3f}")
                summary["dev"] = dev_report["total"]
            if args.misses:
                print("\n".join(["", "misses:"] + ["  " + m for m in report["misses"]]))
        scorers: dict[str, Callable[[Path], tuple[str, dict[str, float], list[str]]]] = {
            "silver": score_silver, "realscans": score_realscans}
        for name, scorer in scorers.items():
            if name in names:
                line, per_letter, detail = scorer(preds[name])
                letters.update(per_letter)
                print(f"\n## {name}\n\n{line}")
                summary[name] = line
                if args.misses:
                    print("\n".join(d for d in detail if "all ok" not in d))
        tried, lost = headless_check(names)
        if tried:
            print(f"\n## Header cut off\n\n{tried - len(lost)} of {tried} cuts (from Kính gửi, from the body, without "
                  f"the first {_DROPPED_LINES} lines) still give a letter" + "".join(f"\n  no letter: {x}" for x in lost))
            summary["headless"] = {"tried": tried, "lost": lost}
        for name, failures in failed.items():
            if failures:
                print(f"\n{name}: {len(failures)} input(s) gave no JSON:\n" + "\n".join("  " + f for f in failures))
        if args.against:
            before = json.loads(args.against.read_text(encoding="utf-8"))["letters"]
            # only the sets run now: a set left out of this run neither gained nor lost
            compare(letters, {k: v for k, v in before.items() if k.partition("/")[0] in names})
        if args.save:
            args.save.write_text(json.dumps({"summary": summary, "letters": letters}, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
