"""Replications on local processes and on a Dask LocalCluster give the same numbers as serial runs."""

import math

import pytest

from simulator.flows import run_replications
from tests.flows.conftest import small


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.keys() == y.keys()
        for key in x:
            assert (math.isnan(x[key]) and math.isnan(y[key])) or x[key] == y[key], key


def test_local_processes_match_serial():
    sc = small(days=5)
    serial = run_replications(sc, 3, seed=21)
    parallel = run_replications(sc, 3, seed=21, workers=2)
    _same(serial.kpis, parallel.kpis)


def test_dask_local_cluster_matches_serial():
    distributed = pytest.importorskip("distributed")
    sc = small(days=5)
    serial = run_replications(sc, 3, seed=5)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        ticks = []
        on_dask = run_replications(sc, 3, seed=5, scheduler=client, progress=lambda: ticks.append(1))
        by_address = run_replications(sc, 1, seed=5, scheduler=cluster.scheduler_address)
    assert len(ticks) == 3
    _same(serial.kpis, on_dask.kpis)
    _same(serial.kpis[:1], by_address.kpis)
