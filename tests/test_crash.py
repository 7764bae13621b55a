"""Never lose work: a `kg build` killed (SIGKILL) at any point leaves the previous graph.trig, graph.ttl
and graph.html intact (each byte-identical to before, or a complete new version), no temporary file
that a later build would trip over, and a following build that succeeds and gives the right graph.

The builds run as real processes (`python -m kg build`) with `--model blank:en` (rules only), so the
kills land in every phase: start-up, per-article work (and per-article cache writes, when the build
keeps a cache under OUT/.kg-cache/), and the writing of each output file.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

OUTPUTS = ("graph.trig", "graph.ttl", "graph.html")
MODEL = ["--model", "blank:en"]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _cmd(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "build", str(folder), "--out", str(out), *MODEL]


def _build(folder: Path, out: Path, cwd: Path) -> dict[str, bytes]:
    proc = subprocess.run(_cmd(folder, out), capture_output=True, text=True, timeout=300, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return {n: (out / n).read_bytes() for n in OUTPUTS}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def _temp_outputs(out: Path) -> list[str]:
    """Temporary files of kg.io.atomic_write_bytes: `.graph.trig.<random>.tmp` beside the target."""
    return [n for n in os.listdir(out) if n.startswith(".graph.") and n.endswith(".tmp")]


@pytest.fixture(scope="module")
def corpus(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """seeds/ (the first build) and a bigger folder (seeds six times over, renamed), plus reference
    outputs of each built from scratch in their own folders."""
    root = tmp_path_factory.mktemp("crash")
    big = root / "big"
    big.mkdir()
    articles = sorted(p for p in (project_root / "seeds").iterdir() if p.name != "gold.jsonl")
    for k in range(1, 7):
        for p in articles:
            shutil.copy(p, big / f"copy{k}_{p.name}")
    old = _build(project_root / "seeds", root / "ref-old", project_root)
    new = _build(big, root / "ref-new", project_root)
    assert all(old[n] != new[n] for n in OUTPUTS)
    return {"seeds": project_root / "seeds", "big": big, "old": old, "new": new, "root": root}


def _assert_intact(out: Path, old: dict[str, bytes], new: dict[str, bytes], when: str) -> None:
    for name in OUTPUTS:
        data = (out / name).read_bytes()
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new version after {when}"
    # leftovers of the kill (if any) are hidden temporary files: never read as articles nor as outputs
    for name in os.listdir(out):
        assert name in OUTPUTS or name.startswith("."), f"stray file {name!r} after {when}"


def _kill_at(proc: subprocess.Popen, out: Path, phase: str, timeout: float = 240) -> bool:
    """SIGKILL `proc` when `phase` is reached; False when it finished first.

    phases: "writing" (a temporary output file appears or an output changes), "trig-done" (graph.trig
    replaced, graph.ttl not yet), "ttl-done" (graph.ttl replaced, graph.html being written), or a
    number of seconds after the start.
    """
    before = {n: _stamp(out / n) for n in OUTPUTS}
    started = time.monotonic()
    while proc.poll() is None:
        if time.monotonic() - started > timeout:
            proc.kill()
            pytest.fail(f"kg build did not finish within {timeout} s")
        changed = {n for n in OUTPUTS if _stamp(out / n) != before[n]}
        if isinstance(phase, float):
            hit = time.monotonic() - started >= phase
        elif phase == "writing":
            hit = bool(changed) or bool(_temp_outputs(out))
        elif phase == "trig-done":
            hit = "graph.trig" in changed
        else:
            hit = "graph.ttl" in changed
        if hit:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return True
    return False


def test_killed_build_leaves_the_previous_graph_intact(corpus: dict, project_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "OUT"
    old = _build(corpus["seeds"], out, project_root)
    assert old == corpus["old"]
    kills = 0
    for phase in (0.5, "writing", "trig-done", "ttl-done", 3.0):
        proc = subprocess.Popen(_cmd(corpus["big"], out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                cwd=project_root)
        try:
            killed = _kill_at(proc, out, phase)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stderr.close()
        if killed:
            kills += 1
            assert proc.returncode == -signal.SIGKILL
        else:
            assert proc.returncode == 0
        _assert_intact(out, old, corpus["new"], f"a kill at {phase!r}")
        for name in OUTPUTS:                 # back to the old graph, so the next kill is checked against it
            if (out / name).read_bytes() != old[name]:
                (out / name).write_bytes(old[name])
    assert kills >= 3, "too few builds were killed while running to test anything"

    # a following build succeeds (reusing whatever the killed builds left in the cache) and gives
    # exactly what a build from scratch gives
    proc = subprocess.run(_cmd(corpus["big"], out), capture_output=True, text=True, timeout=300, cwd=project_root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in OUTPUTS:
        assert (out / name).read_bytes() == corpus["new"][name], f"{name} after the rebuild"
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    assert len(ds) > 0 and len(g) > 0
    if (out / ".kg-cache").exists():
        # the cache survived the kills: a second rebuild (all from the cache) is still right
        proc = subprocess.run(_cmd(corpus["big"], out), capture_output=True, text=True, timeout=300,
                              cwd=project_root)
        assert proc.returncode == 0, proc.stderr
        for name in OUTPUTS:
            assert (out / name).read_bytes() == corpus["new"][name], f"{name} after the cached rebuild"


def test_stale_temporary_files_do_not_confuse_a_build(corpus: dict, project_root: Path, tmp_path: Path) -> None:
    """What a kill during a write leaves behind (kg.io's `.graph.trig.<random>.tmp`, half written), in the
    output folder and inside the article folder: the next build ignores them."""
    folder = tmp_path / "articles"
    shutil.copytree(corpus["seeds"], folder)
    out = folder / "output"                 # the output folder inside the article folder, as with `kg build .`
    out.mkdir()
    half = corpus["old"]["graph.trig"][: len(corpus["old"]["graph.trig"]) // 2]
    (out / ".graph.trig.k2j4x9.tmp").write_bytes(half)
    (out / ".graph.html.a81bq0.tmp").write_bytes(b"<html><body>half a pa")
    (folder / ".03_stripe_bridge.txt.x1y2z3.tmp").write_bytes(b"Stripe half")
    built = _build(folder, out, project_root)
    assert built == corpus["old"]
