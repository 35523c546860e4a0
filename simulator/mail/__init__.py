"""Official mail (thư điện tử công vụ): a real Dovecot server run from a work folder, SMTP submission with
aiosmtpd, and mailboxes provisioned from the identifier registry (DOMAIN.md §10).

Operations layer: imports the domain (province, calendar, text), errors and i18n; never flows, lab or Jupyter.
"""

from simulator.mail.accounts import Account, Group, MailBook
from simulator.mail.address import domain_for, unit_slugs
from simulator.mail.review import Review, StaffMember, mailbox_share, review, unit_shares
from simulator.mail.dovecot import Ports
from simulator.mail.server import MailServer

__all__ = ["Account", "Group", "MailBook", "MailServer", "Ports", "Review", "StaffMember", "domain_for",
           "mailbox_share", "review", "unit_shares", "unit_slugs"]
