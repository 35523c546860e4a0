"""What the Lab and the grader share about a seat: its settings, its journal, the running world under
it and the documents that world sends (ARCHITECTURE.md, "a seat package"). The grader imports this
package, never :mod:`simulator.lab`."""

from simulator.seat.arrivals import Arrival, build_document, document_of, issued_number, registration_due
from simulator.seat.journal import Journal
from simulator.seat.settings import (ALLOWED_SCENARIOS, DEFAULT_SCENARIO, DEFAULT_START, DEFAULT_UNIT, SEAT_FILE,
                                     SEAT_PASSPHRASE, SeatConfig, seed_for)
from simulator.seat.world import SeatWorld, whole_second

__all__ = ["ALLOWED_SCENARIOS", "Arrival", "DEFAULT_SCENARIO", "DEFAULT_START", "DEFAULT_UNIT", "Journal",
           "SEAT_FILE", "SEAT_PASSPHRASE", "SeatConfig", "SeatWorld", "build_document", "document_of",
           "issued_number", "registration_due", "seed_for", "whole_second"]
