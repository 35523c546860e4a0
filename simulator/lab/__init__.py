"""The lab: a trainee's seat in the running world, the journal and the desks (widgets).

    from simulator.lab import Session
    session = Session.open("work/xa-hai-chau", unit="Xã Hải Châu", trainee_id="hv001")
    session.receive(); session.verify("000"); session.register("000")
"""

import logging

from simulator.lab.session import SEAT_PASSPHRASE, InboxItem, OutgoingItem, Session, seed_for
from simulator.seat import Journal
from simulator.lab.workspace import class_ticket, trainee_id, work_folder, work_root

# A trainee reads verdicts in the desks; the libraries' own warnings (a revoked certificate's
# traceback, bagit's checksum complaints during an audit) would only frighten them in a notebook.
for _name in ("pyhanko", "pyhanko_certvalidator", "bagit", "certomancer"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

__all__ = ["class_ticket", "InboxItem", "Journal", "OutgoingItem", "SEAT_PASSPHRASE", "Session", "seed_for", "trainee_id",
           "work_folder", "work_root"]
