"""The engine's LocalCluster workers run without the MALLOC_TRIM_THRESHOLD_ Dask sets by default
(it turns off glibc's adaptive mmap threshold and made spaCy ~15 % slower in a worker)."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("distributed")


def _environ() -> dict:
    return {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}


def test_local_cluster_workers_have_no_malloc_trim_threshold() -> None:
    import dask

    from kg.engines.dask_engine import _connect

    default = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" in default  # what Dask would set: the reason for the override
    with _connect(None, 1) as client:
        seen = client.run(_environ)
    assert seen and all(env == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"} for env in seen.values()), seen
