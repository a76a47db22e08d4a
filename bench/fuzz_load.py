"""Fuzzing the loader (导入模糊测试): mutated report files against a copy of the demo database.

    python bench/fuzz_load.py --count 3000 --budget 3600 [--seed 1] [--jobs 2] [--timeout 30]
    python bench/fuzz_load.py --only 1234 --seed 1      # one case again, its output shown

Each file is a demo report changed in one way (bench/fuzz_mutations.py: cell values with
formula text, "no value" marks, huge names and numbers; headers; sheets; zip structure; byte
flips; CSV encodings; a sheet of millions of cells) and loaded with `python -m etl load --yes`
(the command line's own main) into a fresh copy of the demo database.

Files run in batches in worker processes, each file with its own temporary folder and database
copy. A worker that dies, or says nothing for --timeout seconds once a file is made, is killed; the file it was on is
run again alone in a fresh process (crashed or hung if it does so again), and the rest of the
batch goes on in a new worker. Counted per file:

- refused / accepted: exit status 1 / 0 of the load;
- crashed: any other exit status, an exception out of main, a traceback in its output, or the
  process dying; hung: no answer within --timeout;
- data changed: a refused file after which the database's data differ from the copy's (the
  load_log entries that record refusals aside);
- accepted formula or no-value text: an accepted file that put text shaped like a formula
  (`=…`, `+SUM(…)`, `cmd|…!…`) or a "no value" mark (`—`, `无`) into a name column;
- temporary files left: files left in the database's folder or the temporary folder.

Prints one line of counts, and the cases of every count that should be 0. Not a test: it takes
minutes (about 0.3 s a file per job on a quiet machine).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BAD = ("crashed", "hung", "data_changed", "bad_text", "left_files")
LABELS = {
    "tried": "tried", "refused": "refused", "accepted": "accepted", "crashed": "crashed",
    "hung": "hung", "data_changed": "data changed",
    "bad_text": "accepted formula or no-value text", "left_files": "temporary files left",
}  # fmt: skip
NAME_COLUMNS = {
    "progress_report": ("region", "project_code", "project_name", "indicator", "unit",
                        "department", "category"),
    "funding_report": ("region", "project_code", "project_name"),
    "score_report": ("unit_type", "unit"),
}  # fmt: skip
# written apart from etl.reading.text_checks on purpose: the fuzzer does not grade the loader by its own rule
_FORMULA = re.compile(r"=.|[+\-@]\s*(?:[A-Za-z_(]|\d+(?:\.\d+)?\s*[-+*/^&])|.*\|.*!", re.DOTALL)
_NO_VALUE = {"", "—", "——", "-", "--", "/", "无", "…", "N/A", "n/a"}


def bad_text(value: str) -> bool:
    text = value.strip()
    return (
        bool(_FORMULA.match(text))
        or re.sub(r"\s", "", unicodedata.normalize("NFKC", text)) in _NO_VALUE
    )


def fingerprint(db: Path) -> list:
    """The data of every table but the load log (a refusal is recorded there on purpose), as
    plain JSON values."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables()"
            " WHERE table_name NOT IN ('load_log', 'load_finding') ORDER BY table_name"
        ).fetchall()]  # fmt: skip
        sql = (
            "SELECT count(*), bit_xor(hash(fuzz_row))::VARCHAR, sum(hash(fuzz_row)::HUGEINT)::VARCHAR"
            ' FROM "{}" AS fuzz_row'
        )
        found = [[t, *con.execute(sql.format(t)).fetchone()] for t in tables]
        return json.loads(json.dumps(found))
    finally:
        con.close()


def accepted_bad_text(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        found = []
        for table, columns in NAME_COLUMNS.items():
            for column in columns:
                latest = "(SELECT max(load_id) FROM load_log)"
                sql = f'SELECT DISTINCT "{column}" FROM "{table}" WHERE load_id = {latest}'  # noqa: S608
                rows = con.execute(sql).fetchall()
                found += [f"{table}.{column}={v[:40]!r}" for (v,) in rows if v and bad_text(v)]
        return found
    finally:
        con.close()


def run_one(index: int, seed: int, pristine: Path, clean_print: list, scratch: Path) -> dict:
    """Make file `index`, load it into a fresh copy of the database, judge what happened."""
    from fuzz_mutations import mutate

    from etl.cli import main
    from etl.demo import demo_files

    case = scratch / f"case-{index}"
    files, db_folder, temporary = case / "in", case / "db", case / "tmp"
    for folder in (files, db_folder, temporary):
        folder.mkdir(parents=True)
    path, kind = mutate(index, seed, demo_files(), files)
    # the file is made (a sheet of millions of cells takes seconds): the load's clock starts now
    print(json.dumps({"start": index}), flush=True)
    db = db_folder / "wh.duckdb"
    shutil.copyfile(pristine, db)
    tempfile.tempdir = str(temporary)  # the loader's temporary files land where they are seen
    out, err = io.StringIO(), io.StringIO()
    result = {"index": index, "kind": kind, "file": path.name}
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["load", str(path), "--db", str(db), "--yes", "--by", "fuzz"])
    except BaseException as exc:  # noqa: BLE001 - that is the finding
        status = f"exception {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        tempfile.tempdir = None
    text = out.getvalue() + err.getvalue()
    result["output"] = text[-1500:]
    if status == 1:
        result["outcome"] = "refused"
        if fingerprint(db) != clean_print:
            result["data_changed"] = True
    elif status == 0:
        result["outcome"] = "accepted"
        found = accepted_bad_text(db)
        if found:
            result["bad_text"] = found[:5]
    else:
        result["outcome"] = "crashed"
        result["why"] = f"exit status {status}"
    if "Traceback" in text:
        result["outcome"], result["why"] = "crashed", "traceback in output"
    left = [p.name for p in db_folder.iterdir() if p.name not in ("wh.duckdb", "wh.duckdb.lock")]
    left += [p.name for p in temporary.iterdir()]
    if left:
        result["left_files"] = left[:5]
    shutil.rmtree(case, ignore_errors=True)
    return result


def worker(args) -> None:
    """--worker: run the given indices one after the other, one JSON line each."""
    os.environ.pop("MINSHENG_DEBUG", None)
    pristine = Path(args.pristine)
    clean_print = json.loads(Path(args.pristine + ".print.json").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="fuzz-worker-", dir=args.scratch))
    for index in args.indices:
        print(json.dumps(run_one(index, args.seed, pristine, clean_print, scratch)), flush=True)
    shutil.rmtree(scratch, ignore_errors=True)


def _command(args, pristine: Path, scratch: Path, indices: list[int]) -> list[str]:
    return [sys.executable, __file__, "--worker", "--seed", str(args.seed), "--pristine",
            str(pristine), "--scratch", str(scratch), *map(str, indices)]  # fmt: skip


class Batch:
    """One worker process and the indices it still owes an answer for."""

    def __init__(self, args, pristine: Path, scratch: Path, indices: list[int], alone: bool):
        self.indices, self.alone = list(indices), alone
        self.process = subprocess.Popen(
            _command(args, pristine, scratch, indices), stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=REPO_ROOT, start_new_session=True,
        )  # fmt: skip
        os.set_blocking(self.process.stdout.fileno(), False)
        self.heard = time.monotonic()
        self.buffer = ""

    def poll(self) -> list[dict]:
        chunk = b""
        with contextlib.suppress(BlockingIOError):
            while part := os.read(self.process.stdout.fileno(), 1 << 16):
                chunk += part
        if chunk:
            self.heard = time.monotonic()
        self.buffer += chunk.decode("utf-8", "replace")
        *lines, self.buffer = self.buffer.split("\n")
        results = [json.loads(line) for line in lines if line.startswith('{"index"')]
        for result in results:
            self.indices.remove(result["index"])
        return results

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 9)
        self.process.wait()


def build_pristine(folder: Path) -> Path:
    from etl.demo import build_demo_database

    pristine = folder / "demo.duckdb"
    build_demo_database(pristine)
    Path(f"{pristine}.print.json").write_text(json.dumps(fingerprint(pristine)))
    return pristine


def run(args) -> dict:
    start = time.monotonic()
    counts: Counter = Counter()
    cases: dict[str, list] = {name: [] for name in BAD}
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        pristine = build_pristine(Path(folder))
        scratch = Path(folder)
        queue = [
            list(range(i, min(i + args.batch, args.count)))
            for i in range(0, args.count, args.batch)
        ]
        alone: list[int] = []
        running: list[Batch] = []
        shown = 0
        while queue or alone or running:
            out_of_time = time.monotonic() - start > args.budget
            while len(running) < args.jobs and (alone or (queue and not out_of_time)):
                if alone:
                    running.append(Batch(args, pristine, scratch, [alone.pop(0)], True))
                else:
                    running.append(Batch(args, pristine, scratch, queue.pop(0), False))
            time.sleep(0.05)
            for batch in list(running):
                for result in batch.poll():
                    _count(result, counts, cases)
                silent = time.monotonic() - batch.heard > args.timeout
                finished = batch.process.poll() is not None
                if finished:
                    for result in batch.poll():
                        _count(result, counts, cases)
                if not (silent or finished):
                    continue
                if not finished:
                    batch.kill()
                running.remove(batch)
                if not batch.indices:
                    continue
                first, rest = batch.indices[0], batch.indices[1:]
                if batch.alone:  # it did it again, on its own: that file is the finding
                    outcome = "hung" if silent and not finished else "crashed"
                    why = f"exit status {batch.process.returncode}" if finished else "no answer"
                    _count({"index": first, "outcome": outcome, "why": why}, counts, cases)
                else:
                    alone.append(first)
                if rest:
                    queue.insert(0, rest)
            if counts["tried"] >= shown + 250 and not args.quiet:
                shown = counts["tried"]
                print(f"…{shown} 个，{time.monotonic() - start:.0f} 秒", file=sys.stderr)
    counts["seconds"] = round(time.monotonic() - start)
    return {"counts": counts, "cases": cases}


def _count(result: dict, counts: Counter, cases: dict) -> None:
    counts["tried"] += 1
    counts[result["outcome"]] += 1
    counts[f"kind:{result.get('kind', '?')}"] += 1
    for name in BAD:
        if result["outcome"] == name:  # crashed, hung: counted as the outcome
            cases[name].append(result)
        elif result.get(name):
            counts[name] += 1
            cases[name].append(result)


def main() -> None:
    parser = argparse.ArgumentParser(description="导入模糊测试：变异的月报文件导入演示数据库的副本")
    parser.add_argument("--count", type=int, default=3000, help="文件数")
    parser.add_argument(
        "--budget", type=float, default=3600, help="时间预算（秒），到时不再开始新文件"
    )
    parser.add_argument("--seed", type=int, default=1, help="随机种子")
    parser.add_argument("--jobs", type=int, default=2, help="同时运行的进程数")
    parser.add_argument("--batch", type=int, default=25, help="每个进程依次导入的文件数")
    parser.add_argument("--timeout", type=float, default=30, help="单个文件的超时（秒）")
    parser.add_argument("--only", type=int, help="只运行这一个编号，并打印它的输出")
    parser.add_argument("--json", help="把全部结果写入此 JSON 文件")
    parser.add_argument("--quiet", action="store_true", help="不打印进度")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pristine", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    parser.add_argument("indices", nargs="*", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.only is not None:
        args.count, args.batch = 1, 1
        with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
            pristine = build_pristine(Path(folder))
            print(subprocess.run(_command(args, pristine, Path(folder), [args.only]),
                                 capture_output=True, text=True, cwd=REPO_ROOT).stdout)  # fmt: skip
        return
    report = run(args)
    counts = report["counts"]
    print("  ".join(f"{LABELS[k]} {counts[k]}" for k in LABELS) + f"  ({counts['seconds']} s)")
    print("by mutation: " + ", ".join(
        f"{k[5:]} {n}" for k, n in sorted(counts.items()) if k.startswith("kind:")))  # fmt: skip
    for name, found in report["cases"].items():
        for case in found[:10]:
            print(f"{LABELS[name]}: #{case['index']} {case.get('file', '')} "
                  f"{case.get('why') or case.get(name) or ''} {case.get('output', '')[-300:]!r}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    sys.exit(1 if any(counts[name] for name in BAD) else 0)


if __name__ == "__main__":
    main()
