"""scripts/device/unpack.sh, which reassembles stage.sh's bundle one carried piece at a time on the
GPU machine: it waits (exit 3) while pieces are missing, refuses a piece that does not match its
checksum (exit 1), and unpacks once every piece is there; the Node/Deno piece (js-hosts.xz)
unpacks on its own, checked against its checksum."""
import hashlib
import io
import lzma
import os
import shutil
import subprocess
import tarfile

from conftest import SOURCE_DIR


def make_bundle(tmp_path, piece_bytes=64):
    """A repository copy holding unpack.sh, and the bundle's pieces with their SHA256SUMS."""
    repo = tmp_path / "repo"
    (repo / "scripts" / "device").mkdir(parents=True)
    shutil.copy(SOURCE_DIR / "scripts" / "device" / "unpack.sh", repo / "scripts" / "device")
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        payload = os.urandom(300)  # incompressible, so the xz stream spans several pieces
        info = tarfile.TarInfo(".dev/payload.bin")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    packed = lzma.compress(archive.getvalue())
    pieces = {f"bundle.{i:02d}": packed[o:o + piece_bytes] for i, o in enumerate(range(0, len(packed), piece_bytes))}
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in pieces.items())
    return repo, pieces, sums, payload


def carry(repo, sums, name, data):
    """What one device command carries: SHA256SUMS and one piece (the previous piece is gone)."""
    shutil.rmtree(repo / ".carry", ignore_errors=True)
    (repo / ".carry").mkdir()
    (repo / ".carry" / "SHA256SUMS").write_text(sums)
    (repo / ".carry" / name).write_bytes(data)


def unpack(repo, waiting_room):
    return subprocess.run(["bash", str(repo / "scripts" / "device" / "unpack.sh")], capture_output=True, text=True,
                          env={**os.environ, "WGSLRUN_PIECES": str(waiting_room)}, timeout=60)


def test_waits_for_every_piece_then_unpacks(tmp_path):
    repo, pieces, sums, payload = make_bundle(tmp_path)
    names = list(pieces)
    assert len(names) >= 3
    for i, name in enumerate(names[:-1]):
        carry(repo, sums, name, pieces[name])
        r = unpack(repo, tmp_path / "waiting")
        assert r.returncode == 3, r.stderr
        assert f"still missing: {' '.join(names[i + 1:])}" in r.stdout
    carry(repo, sums, names[-1], pieces[names[-1]])
    r = unpack(repo, tmp_path / "waiting")
    assert r.returncode == 0, r.stderr
    assert "unpack.sh: bundle unpacked" in r.stdout
    assert (repo / ".dev" / "payload.bin").read_bytes() == payload
    assert unpack(repo, tmp_path / "waiting").returncode == 0, "a later command finds it unpacked"


def test_a_corrupted_piece_is_refused_and_nothing_is_unpacked(tmp_path):
    repo, pieces, sums, _ = make_bundle(tmp_path)
    names = list(pieces)
    for name in names[:-1]:
        carry(repo, sums, name, pieces[name])
        unpack(repo, tmp_path / "waiting")
    last = bytearray(pieces[names[-1]])
    last[0] ^= 0xFF
    carry(repo, sums, names[-1], bytes(last))
    r = unpack(repo, tmp_path / "waiting")
    assert r.returncode == 1
    assert "does not match .carry/SHA256SUMS: run stage.sh again and carry every piece" in r.stderr
    assert not (repo / ".dev").exists()


def carry_js_hosts(repo, data, digest_of=None):
    """A command that carries only the Node/Deno piece and its checksum file."""
    shutil.rmtree(repo / ".carry", ignore_errors=True)
    (repo / ".carry").mkdir()
    (repo / ".carry" / "js-hosts.xz").write_bytes(data)
    digest = hashlib.sha256(digest_of if digest_of is not None else data).hexdigest()
    (repo / ".carry" / "js-hosts.sha256").write_text(f"{digest}  js-hosts.xz\n")


def js_hosts_piece():
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        node = b"#!/bin/sh\necho node\n"
        info = tarfile.TarInfo(".dev/bin/node")
        info.size, info.mode = len(node), 0o755
        tar.addfile(info, io.BytesIO(node))
    return lzma.compress(archive.getvalue()), node


def test_the_js_hosts_piece_unpacks_on_its_own_without_the_bundle(tmp_path):
    repo, _, _, _ = make_bundle(tmp_path)
    data, node = js_hosts_piece()
    carry_js_hosts(repo, data)
    r = unpack(repo, tmp_path / "waiting")
    assert r.returncode == 3, r.stderr  # the browser bundle is still absent, and says so
    assert "Node, dawn.node and Deno unpacked" in r.stdout
    assert "no bundle carried (.carry/SHA256SUMS missing)" in r.stdout
    assert (repo / ".dev" / "bin" / "node").read_bytes() == node


def test_a_corrupted_js_hosts_piece_is_refused(tmp_path):
    repo, _, _, _ = make_bundle(tmp_path)
    data, _ = js_hosts_piece()
    carry_js_hosts(repo, data[:-1] + bytes([data[-1] ^ 0xFF]), digest_of=data)
    r = unpack(repo, tmp_path / "waiting")
    assert r.returncode == 1
    assert "js-hosts.xz does not match .carry/js-hosts.sha256" in r.stderr
    assert not (repo / ".dev").exists()
