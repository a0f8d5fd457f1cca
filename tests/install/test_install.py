"""`make install` ships the benchmark suite: the build installed into a temporary prefix runs
`wgslrun bench` from a directory outside the checkout, reading the installed suite and kernels.
WGSLRUN_BUILD_DIR is the build to install (ctest sets it); WebGPU runs on whatever adapter the
environment gives (SwiftShader without a GPU)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

BUILD_DIR = Path(os.environ.get("WGSLRUN_BUILD_DIR", Path(__file__).resolve().parents[2] / "build"))


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run(["cmake", "--install", str(BUILD_DIR), "--prefix", str(prefix)], check=True,
                   capture_output=True, text=True)
    return prefix


def bench(prefix, cwd, *args):
    env = {k: v for k, v in os.environ.items() if k != "WGSLRUN_SUITE"}
    return subprocess.run([str(prefix / "bin" / "wgslrun"), "bench", "--impl", "dawn", "--size", "small",
                           "--filter", "^copy$", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_every_kernel_the_suite_names_is_installed(prefix):
    share = prefix / "share" / "wgslrun"
    kernels = {case["kernel"] for case in json.loads((share / "suite.json").read_text())["cases"] if "kernel" in case}
    assert kernels and all((share / kernel).is_file() for kernel in kernels)


def test_installed_bench_runs_outside_the_checkout(prefix, tmp_path):
    r = bench(prefix, tmp_path, "--json", "copy.json")
    assert r.returncode == 0, r.stderr
    (result,) = json.loads((tmp_path / "copy.json").read_text())["results"]
    assert result["case"] == "copy" and result["verified"] is True


def test_installed_bench_reads_the_installed_kernels(prefix, tmp_path):
    kernel = prefix / "share" / "wgslrun" / "kernels" / "stream.wgsl"
    original = kernel.read_text()
    kernel.write_text("this is not WGSL\n")
    try:
        r = bench(prefix, tmp_path)
    finally:
        kernel.write_text(original)
    assert r.returncode == 1
    assert str(kernel) in r.stderr + r.stdout
