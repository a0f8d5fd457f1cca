"""Shared fixtures for the CLI tests: the wgslrun binary, the source tree, and a runner."""
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("WGSLRUN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY = Path(os.environ.get("WGSLRUN_BIN", SOURCE_DIR / "build" / "wgslrun"))
IMPLS = ["dawn", "wgpu"]


class Result:
    def __init__(self, completed):
        self.code = completed.returncode
        self.out = completed.stdout
        # The Vulkan loader and SwiftShader print environment warnings that are not ours.
        self.err = "\n".join(line for line in completed.stderr.splitlines() if "XDG_RUNTIME_DIR" not in line)


def run_wgslrun(*args, cwd=None, env=None, timeout=300):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    completed = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                               env=full_env, timeout=timeout)
    return Result(completed)


@pytest.fixture
def wgslrun():
    return run_wgslrun


@pytest.fixture
def source_dir():
    return SOURCE_DIR
