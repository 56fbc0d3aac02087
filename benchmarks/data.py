"""Dataset versions: `data add` + push against `dvc add` + `dvc push`, and against reading the bytes.

    python benchmarks/data.py [--files 10000] [--large-mb 512] [--two-gb] [--no-dvc]

Timings, not tests. Prints one line per case and the ratios. Each case starts from a fresh git
repository holding the same data; the store (ours) and the remote (DVC's) are local folders.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_dsl.data.add import add
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@bench.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@bench.invalid",
    "DVC_NO_ANALYTICS": "1",
}


def small_files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"part-{index:05d}.csv").write_text(f"id,value\n{index},{index * 7 % 13}\n")


def large_file(path: Path, megabytes: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        for index in range(megabytes):
            out.write(block[index % 256 :] + block[: index % 256])


def fresh_project(base: Path, name: str, make: object, *args: object) -> tuple[Path, Path]:
    root = base / name
    init_project(root)
    subprocess.run(["git", "add", "--all"], cwd=root, env=ENV, check=True)
    subprocess.run(["git", "commit", "-qm", "start"], cwd=root, env=ENV, check=True)
    target = root / "raw" / "bench"  # not git-ignored: `dvc add` refuses a pointer git would ignore
    make(target, *args)  # type: ignore[operator]
    return root, target


def ours(root: Path, target: Path) -> float:
    os.environ.update({k: v for k, v in ENV.items() if k.startswith("GIT_")})
    started = time.perf_counter()
    add(find_project(root), target, name="bench")  # hashes, stores (pushes) and commits the pointer
    return time.perf_counter() - started


def dvc(root: Path, target: Path) -> float:
    remote = root.parent / f"{root.name}-dvc-remote"
    subprocess.run(["dvc", "init", "-q"], cwd=root, env=ENV, check=True)
    subprocess.run(["dvc", "remote", "add", "-d", "r", str(remote)], cwd=root, env=ENV, check=True)
    relative = target.relative_to(root)
    started = time.perf_counter()
    subprocess.run(["dvc", "add", "-q", str(relative)], cwd=root, env=ENV, check=True)
    subprocess.run(["dvc", "push", "-q"], cwd=root, env=ENV, check=True)
    return time.perf_counter() - started


def floor(target: Path) -> float:
    """Reading every byte once (the page cache is dropped where we may; else it is warm for all)."""
    files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
    started = time.perf_counter()
    for path in files:
        with path.open("rb") as handle:
            while handle.read(4 * 1024 * 1024):
                pass
    return time.perf_counter() - started


def md5_floor(target: Path) -> float:
    """Hashing every byte once (md5, DVC's hash): the bound for any tool that content-addresses."""
    from jupyter_dsl.data.hashing import md5_file

    started = time.perf_counter()
    md5_file(target)
    return time.perf_counter() - started


def line(label: str, seconds: float, size: int | None = None) -> None:
    speed = f"   {size / seconds / 1e6:8.1f} MB/s" if size else ""
    print(f"{label:<46} {seconds:8.2f} s{speed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--large-mb", type=int, default=512)
    parser.add_argument("--two-gb", action="store_true", help="The issue's 2 GB file (needs the disk).")
    parser.add_argument("--no-dvc", action="store_true", help="Skip DVC (when it is not installed).")
    args = parser.parse_args()
    with_dvc = not args.no_dvc and shutil.which("dvc") is not None
    megabytes = 2048 if args.two_gb else args.large_mb
    base = Path(tempfile.mkdtemp(prefix="dsl-data-bench-"))
    try:
        print(f"(a) {args.files} small files")
        root, target = fresh_project(base, "small", small_files, args.files)
        read = floor(target)
        line("read the bytes (floor)", read)
        ours_s = ours(root, target)
        line("data add + push (ours)", ours_s)
        (target / "part-00000.csv").touch()  # a touched file: its hash is read again, nothing stored
        again = ours(root, target)
        line("no-change data add (target < 1 s)", again)
        if with_dvc:
            droot, dtarget = fresh_project(base, "small-dvc", small_files, args.files)
            dvc_s = dvc(droot, dtarget)
            line("dvc add + dvc push", dvc_s)
            print(f"    ours is {dvc_s / ours_s:.1f}x DVC (target >= 3x)")
        print(f"\n(b) one {megabytes} MB file")
        root, target = fresh_project(base, "large", large_file, megabytes)
        size = target.stat().st_size
        read = floor(target)
        line("read the bytes (floor)", read, size)
        hashed = md5_floor(target)
        line("md5 of the bytes (the hashing bound)", hashed, size)
        ours_s = ours(root, target)
        line("data add + push (ours)", ours_s, size)
        print(
            f"    ours runs at {read / ours_s:.0%} of the read speed (target >= 80%),"
            f" {hashed / ours_s:.0%} of md5's"
        )
        if with_dvc:
            droot, dtarget = fresh_project(base, "large-dvc", large_file, megabytes)
            dvc_s = dvc(droot, dtarget)
            line("dvc add + dvc push", dvc_s, size)
            print(f"    ours is {dvc_s / ours_s:.1f}x DVC")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
