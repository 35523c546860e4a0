import logging
import shutil

import pytest

from simulator.lab import Session

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)


def good_trainee(session: Session) -> None:
    """Does the clerk's job right, as documents arrive: the same calls the desks make."""
    while session.waiting_for_more:  # the world's documents, and the senders' answers to returns
        batch = session.receive()
        for item in batch:
            handle_well(session, item)
        if not batch:  # nothing new: the trainee lets the morning or afternoon go on
            session.wait_until_end_of_session()


def handle_well(session: Session, item) -> None:
    if item.is_recall:
        session.answer_recall(item.item_id, agree=True)
        return
    report = session.verify(item.item_id)
    addressed_here = any(r.code == session.seat.code for r in item.document.recipients)
    if report.indication != "TOTAL_PASSED" or not report.decree30.ok:
        session.refuse(item.item_id, "Chữ ký số không hợp lệ")
    elif not addressed_here:
        session.refuse(item.item_id, "Văn bản gửi nhầm đơn vị")
    else:
        session.register(item.item_id)
        session.submit(item.item_id)
        session.assign(item.item_id, "Nguyễn Văn Hùng", days=5)


@pytest.fixture(scope="session")
def played_seat(tmp_path_factory):
    """One seat played through by a good trainee (built once: PKI and documents are costly)."""
    folder = tmp_path_factory.mktemp("seat") / "xa-hai-chau"
    session = Session.open(folder, unit="Xã Hải Châu", trainee_id="hv-good", arrivals=7, trap_share=0.6)
    good_trainee(session)
    return folder, session


@pytest.fixture
def seat_copy(played_seat, tmp_path):
    folder, _session = played_seat
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target
