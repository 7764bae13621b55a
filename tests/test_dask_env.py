"""The engine's LocalCluster workers run without the MALLOC_TRIM_THRESHOLD_ Dask sets by default
(it turns off glibc's adaptive mmap threshold and made spaCy ~15 % slower in a worker)."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("distributed")

TRIM = "MALLOC_TRIM_THRESHOLD_"


def _environ() -> dict:
    return {k: os.environ.get(k) for k in (TRIM, "OMP_NUM_THREADS")}


@pytest.mark.parametrize("left_by_dask", [False, True])
def test_local_cluster_workers_have_no_malloc_trim_threshold(monkeypatch: pytest.MonkeyPatch,
                                                             left_by_dask: bool) -> None:
    """Also when an earlier LocalCluster of this process left Dask's value in os.environ (its nanny
    sets the variable in its own process); that value is put back afterwards."""
    import dask

    from kg.engines.dask_engine import _connect

    default = dask.config.get(f"distributed.nanny.pre-spawn-environ.{TRIM}")
    assert default is not None  # what Dask would set: the reason for the override
    if left_by_dask:
        monkeypatch.setenv(TRIM, str(default))
    else:
        monkeypatch.delenv(TRIM, raising=False)
    with _connect(None, 1) as client:
        seen = client.run(_environ)
    assert seen and all(env == {TRIM: None, "OMP_NUM_THREADS": "1"} for env in seen.values()), seen
    assert os.environ.get(TRIM) == (str(default) if left_by_dask else None)
