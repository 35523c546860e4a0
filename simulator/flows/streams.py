"""Random streams of one replication, and keyed tables for common random numbers.

Each purpose draws from its own generator,
``SeedSequence(seed, spawn_key=(replication, purpose))`` (derived by index,
never by ``spawn()``: PITFALLS.md), in numpy blocks.

Everything drawn for one document or one delivery (its type, mode, service
times, whether it needs a reply) is looked up in two tables by a key
derived from the document's place in the arrival stream, not by the order
in which events happen: two scenarios run with the same seed give the same
document the same numbers even when their timing differs (common random
numbers that stay synchronised). Slot ``s`` of key ``k`` reads index
``(k + OFFSET[s]) & MASK``; :func:`mix` derives child keys (a delivery of a
document, the reply to a delivery).
"""

from __future__ import annotations

import math
from itertools import count

import numpy as np

# Random streams, one per purpose (the second element of the spawn key).
S_ARRIVALS, S_SERVICE, S_CHOICE, S_OUTAGES, S_EQUIPMENT = range(5)
TABLE_BITS = 20
MASK = (1 << TABLE_BITS) - 1
KEY_BITS = 0x7FFFFFFF   # keys stay small ints: cheap arithmetic in the hot path
# Slots of the keyed random tables (slots 20 + stage: service-time multipliers).
K_KIND, K_URGENT, K_SECRET, K_MODE, K_SIGNED, K_PAGES, K_PUBLISH, K_BROADCAST, K_COMMUNES, K_PICK = range(10)
K_ACTION, K_DIGITISE, K_REPLY, K_EMAIL, K_TRANSIT, K_POST, K_WAIT, K_DEFECT, K_DEFECT_KIND = range(10, 19)
K_SERVICE = 20
K_SUBJECT, K_INDIVIDUAL, K_COMPUTER = 27, 28, 29   # after the service slots (20 + stage)

# Offsets of the slots in the keyed tables; the hot path inlines the ones it reads most.
OFFSET = tuple((s * 0x9E3779B1 >> 7) & MASK for s in range(32))
O_URGENT, O_SECRET, O_MODE, O_SIGNED, O_ACTION, O_DIGITISE, O_REPLY, O_EMAIL = (
    OFFSET[K_URGENT], OFFSET[K_SECRET], OFFSET[K_MODE], OFFSET[K_SIGNED], OFFSET[K_ACTION], OFFSET[K_DIGITISE],
    OFFSET[K_REPLY], OFFSET[K_EMAIL])
O_SUBJECT, O_INDIVIDUAL, O_COMPUTER = OFFSET[K_SUBJECT], OFFSET[K_INDIVIDUAL], OFFSET[K_COMPUTER]
O_KIND, O_PAGES = OFFSET[K_KIND], OFFSET[K_PAGES]

# Salts of child keys.
SALT_NEW = 0x27D4EB2F      # a new document from the arrival counter
SALT_REDRAFT = 0x2545F491  # a rejected draft is redone (its own service time)
SALT_REPLY = 0x5BD1E995    # the reply to a handled delivery


def mix(key: int, salt: int) -> int:
    """A child key (a delivery of a document, the reply to a delivery)."""
    h = ((key ^ (salt * 0x9E3779B1)) * 0x5BD1E995) & KEY_BITS
    return h ^ (h >> 13)


class Streams:
    """The generators of one replication and the keyed tables built from them.

    ``U`` holds uniforms for choices, ``M`` lognormal service-time
    multipliers with mean 1 and the scenario's coefficient of variation.
    """

    def __init__(self, seed: int, replication: int, service_cv: float, pages_mean: float) -> None:
        self.rng = {k: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication, k)))
                    for k in range(5)}
        sigma = math.sqrt(math.log(1.0 + service_cv * service_cv))
        mu = -sigma * sigma / 2.0  # mean 1
        self.U = self.rng[S_CHOICE].random(MASK + 1).tolist()
        self.M = (np.exp(self.rng[S_SERVICE].normal(mu, sigma, MASK + 1)) if sigma > 0
                  else np.ones(MASK + 1)).tolist()
        self._new_keys = count(1)
        self._log_q = math.log(1.0 - 1.0 / pages_mean)

    def new_key(self) -> int:
        """The key of the next document the arrival stream creates."""
        return mix(next(self._new_keys), SALT_NEW)

    def r(self, key: int, slot: int) -> float:
        """A uniform in [0, 1) for ``slot`` of ``key``."""
        return self.U[(key + OFFSET[slot]) & MASK]

    def expo(self, key: int, slot: int) -> float:
        """An exponential with mean 1 for ``slot`` of ``key``."""
        return -math.log(1.0 - self.U[(key + OFFSET[slot]) & MASK])

    def pages(self, key: int) -> int:
        """Geometric number of pages with the scenario's mean, by inverse transform."""
        u = self.U[(key + O_PAGES) & MASK]
        return min(60, 1 + int(math.log(1.0 - u) / self._log_q)) if self._log_q < 0 else 1
