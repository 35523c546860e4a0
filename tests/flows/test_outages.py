"""Outage intervals: a held message goes at the first retry after the path is clear."""

from simulator.flows.outages import Outages


def test_clear_waits_for_the_end_of_merged_outages():
    net = Outages([(100.0, 130.0), (120.0, 160.0), (500.0, 510.0)])   # the first two overlap
    assert net.starts == [100.0, 500.0] and net.ends == [160.0, 510.0]
    assert net.clear(50.0, 15.0) == (50.0, 0)          # no outage: goes at once
    assert net.clear(100.0, 15.0) == (160.0, 4)        # held, retried every 15 minutes
    assert net.clear(150.0, 15.0) == (165.0, 1)        # the first retry after the end
    assert net.clear(160.0, 15.0) == (160.0, 0)        # the end itself is clear


def test_a_retry_that_lands_in_the_next_outage_waits_again():
    net = Outages([(0.0, 10.0), (12.0, 40.0)])
    t, tries = net.clear(5.0, 8.0)
    assert t >= 40.0 and tries == 5                    # 13 falls in the second outage; 45 is clear
    assert Outages([]).clear(7.0, 15.0) == (7.0, 0)
