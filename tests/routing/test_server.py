"""The axis over real HTTP on 127.0.0.1: the same operations, the same guarantees."""

from __future__ import annotations

import pytest

from simulator.errors import UserError
from simulator.routing import Axis, AxisUnavailable, EdxmlError, Registers, edxml, envelope_from_document
from simulator.routing.client import AxisClient
from simulator.routing.server import make_server, serve_in_thread


@pytest.fixture
def served(tmp_path, province):
    axis = Axis(tmp_path / "axis.sqlite", province)
    server, url = serve_in_thread(axis)
    yield axis, AxisClient(url)
    server.shutdown()
    server.server_close()


def test_round_trip_over_http(served, doc, at, communes, tmp_path, lang_en):
    axis, client = served
    data = edxml.build(envelope_from_document(doc, sent_at=at))
    result = client.send(data)
    assert result.accepted == tuple(c.code for c in communes) and not result.duplicate
    assert client.send(data).duplicate
    commune = communes[0].code
    [item] = client.pending(commune)
    assert item.doc_id == doc.document_id
    payload = client.get(doc.document_id, commune)
    assert edxml.parse(payload) == edxml.parse(data)
    reg = Registers(tmp_path / "r.sqlite", commune)
    reg.register_incoming(payload, at, "van_thu")
    assert client.confirm(doc.document_id, commune, "01") is True
    assert client.confirm(doc.document_id, commune, "01") is False
    assert client.pending(commune) == []
    codes = [(t.org_id, t.code) for t in client.traces(doc.document_id)]
    assert codes == [(doc.issuer_code, ""), (commune, "01")]
    client.update_trace(doc.document_id, commune, "Đã chuyển lãnh đạo")
    assert client.traces(doc.document_id)[-1].description == "Đã chuyển lãnh đạo"
    [status] = client.pending(doc.issuer_code, kind="status")
    assert edxml.parse_status(client.get(doc.document_id, doc.issuer_code, kind="status")).code == "01"
    client.ack_status(status.id, doc.issuer_code)
    assert client.pending(doc.issuer_code, kind="status") == []
    assert any(o["organ_id"] == commune for o in client.orgs())
    assert client.operator()["queues"][commune] == {"done": 1}
    client.resend(doc.document_id, commune)
    assert [p.doc_id for p in client.pending(commune)] == [doc.document_id]


def test_errors_over_http(served, doc, at, lang_en):
    axis, client = served
    with pytest.raises(EdxmlError) as caught:
        client.send(b"<oops")
    assert caught.value.errors[0].path == "/"
    with pytest.raises(UserError, match="missing"):
        client.pending("")
    client.set_outage()
    with pytest.raises(AxisUnavailable):
        client.send(edxml.build(envelope_from_document(doc, sent_at=at)))
    client.set_outage(down=False)
    assert client.send(edxml.build(envelope_from_document(doc, sent_at=at))).accepted
    with pytest.raises(UserError, match="loopback"):
        make_server(axis, 0, host="0.0.0.0")


def test_unreachable_axis_is_an_outage(lang_en):
    client = AxisClient("http://127.0.0.1:9", timeout=2)
    with pytest.raises(AxisUnavailable, match="Cannot reach"):
        client.orgs()


def test_a_web_server_that_is_not_the_axis_is_named_as_such(tmp_path):
    """An administrator points the client at the wrong service: one clear line, not a JSON traceback."""
    import functools
    import http.server
    import threading

    from simulator.errors import UserError
    from simulator.routing.client import AxisClient

    (tmp_path / "orgs").write_text("<html>not the axis</html>", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = AxisClient(f"http://127.0.0.1:{server.server_port}")
        with pytest.raises(UserError, match="vbdt axis serve"):
            client.orgs()
        with pytest.raises(UserError, match="vbdt axis serve"):  # a 404 page in HTML
            client.traces("000.00.31.H41,2026/03/02,1/UBND")
    finally:
        server.shutdown()
        server.server_close()


def test_a_recall_answered_over_http_closes_the_recall_not_the_document(served, doc, at, communes, lang_en):
    """A commune answers a recall (business type 1) before registering the document: the answer names the business
    type through the server, so the recall's delivery closes and the document's stays open."""
    from dataclasses import replace

    from simulator.routing.envelope import Business

    axis, client = served
    commune = communes[0].code
    envelope = envelope_from_document(doc, sent_at=at)
    client.send(edxml.build(envelope))
    client.send(edxml.build(replace(envelope, business=Business(doc_type=1, reason="Gửi nhầm"))))
    assert client.confirm(doc.document_id, commune, "15", business=1) is True
    assert [p.doc_id for p in client.pending(commune)] == [doc.document_id]   # the document itself: still to take
    assert client.confirm(doc.document_id, commune, "01") is True
    assert client.pending(commune) == []
    with pytest.raises(UserError, match="business"):
        client.confirm(doc.document_id, commune, "16", business=7)
