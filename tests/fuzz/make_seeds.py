"""Writes the fuzz harnesses' seed corpora from the repository's own files:
   npy/      .npy files like the tests write (every dtype, versions 1-3, 0-3 dimensions, a few
             the reader must refuse: big-endian, Fortran order, object dtype)
   wgsl/     the benchmark kernels, examples and experiments, and the committed seeds
   json/     bench/suite.json and the results JSON files (under 64 KiB each)
   sources/  every `--bind NAME=SOURCE` in README.md, docs/*.md, the CLI's --help and the CLI tests
plus the small committed seeds in tests/fuzz/seeds/.
usage: python3 tests/fuzz/make_seeds.py OUTDIR"""
import io
import re
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MAX_SEED_BYTES = 64 * 1024


def npy_bytes(array, version=None, fortran=False):
    out = io.BytesIO()
    if fortran:
        array = np.asfortranarray(array)
    np.lib.format.write_array(out, array, version=version, allow_pickle=False)
    return out.getvalue()


def npy_seeds(out):
    rng = np.random.default_rng(1)
    n = 0
    for dtype in ("<f2", "<f4", "<f8", "<i4", "<u4"):
        for shape in ((), (3,), (2, 3), (2, 1, 2)):
            for version in ((1, 0), (2, 0), (3, 0)):
                data = (rng.random(shape) * 100).astype(dtype)
                (out / f"{n:03d}.npy").write_bytes(npy_bytes(data, version))
                n += 1
    refused = [npy_bytes(np.arange(4, dtype=">f4")), npy_bytes(np.ones((2, 3), "<f4"), fortran=True),
               npy_bytes(np.arange(3, dtype="<i8")), npy_bytes(np.zeros(2, dtype=bool))]
    for data in refused:
        (out / f"{n:03d}.npy").write_bytes(data)
        n += 1


def copy_files(paths, out):
    for path in paths:
        if path.stat().st_size <= MAX_SEED_BYTES:
            name = str(path.relative_to(ROOT)).replace("/", "_")
            shutil.copyfile(path, out / name)


BIND = re.compile(r"--bind[ =]+[A-Za-z0-9_]+=([^\s\"',)\]\\]+)")


def source_seeds(out):
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "cli" / "cmd_run.c",
             *sorted((ROOT / "tests" / "cli").glob("*.py"))]
    specs = set()
    for path in texts:
        specs.update(BIND.findall(path.read_text()))
    for i, spec in enumerate(sorted(specs)):
        (out / f"{i:03d}").write_text(spec)


def main():
    out = Path(sys.argv[1])
    for sub in ("npy", "wgsl", "json", "sources"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    npy_seeds(out / "npy")
    copy_files(sorted(ROOT.glob("tests/fuzz/seeds/npy/*.npy")), out / "npy")
    copy_files(sorted(ROOT.glob("tests/fuzz/seeds/sources/*")), out / "sources")
    copy_files(sorted(ROOT.glob("tests/fuzz/seeds/json/*.json")), out / "json")
    wgsl = [*ROOT.glob("bench/kernels/*.wgsl"), *ROOT.glob("examples/*.wgsl"),
            *ROOT.glob("bench/experiments/*.wgsl"), *ROOT.glob("tests/fuzz/seeds/wgsl/*.wgsl")]
    copy_files(sorted(wgsl), out / "wgsl")
    copy_files(sorted([ROOT / "bench" / "suite.json", *ROOT.glob("results/**/*.json")]), out / "json")
    source_seeds(out / "sources")
    for sub in ("npy", "wgsl", "json", "sources"):
        print(f"{sub}: {len(list((out / sub).iterdir()))} seeds")


if __name__ == "__main__":
    main()
