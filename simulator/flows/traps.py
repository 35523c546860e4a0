"""The one trap vocabulary: what can be wrong with an electronic arrival.

The world chooses, per delivery and from its key, whether an arrival is
sound or which of these it is (:meth:`simulator.flows.desks.Desks.defect`).
The world's automated clerk returns every one of them; at a trainee's seat
the Lab makes the artefact accordingly (:mod:`simulator.lab.materialize`)
and the grader marks the trainee's decision against the same name.
"""

from __future__ import annotations

TAMPERED = "tampered"          # the PDF was changed after it was signed
REVOKED = "revoked"            # signed with a certificate revoked before signing
EXPIRED = "expired"            # signed with a certificate that had expired
MISADDRESSED = "misaddressed"  # addressed, inside, to another unit
RECALL = "recall"              # the sender takes back a document it sent earlier

TRAPS = (TAMPERED, REVOKED, EXPIRED, MISADDRESSED, RECALL)
BAD_SIGNATURE = (TAMPERED, REVOKED, EXPIRED)   # the signature check fails
RETURNED = BAD_SIGNATURE + (MISADDRESSED,)     # the right decision is to return it to the sender
CORRECTED = BAD_SIGNATURE  # a returned forged or defective document comes back corrected; a misaddressed one
                           # goes to its right addressee instead
