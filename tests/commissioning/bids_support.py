"""Helpers for the bid tests: complete bids, tiny PDFs, and a server clock under test control."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import Bid, Opening, Tender
from commissioning.services import bids as services
from commissioning.services.bids import clock
from core import request_time
from core.sample_files import simple_pdf as pdf_bytes
from tests import factories
from tests.commissioning import factories as cf


def pdf_upload(name: str = "method.pdf", text: str = "Method statement") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


class ServerClock:
    """Puts every bid request at a chosen server time (see commissioning.services.bids.clock):
    the moment it reaches the portal and the moment its decision is recorded."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def at(self, moment: datetime.datetime) -> None:
        self.monkeypatch.setattr(clock, "server_now", lambda: moment)
        self.monkeypatch.setattr(request_time, "portal_now", lambda: moment)


def fill_bid(bid: Bid, actor, *, marker: str = "", with_files: bool = True) -> Bid:
    """Answer every question, price the bid and upload every required file (a complete draft)."""
    tender = bid.tender
    for question in tender.questions.all():
        services.bid_answer_save(bid=bid, question=question, actor=actor,
                                 text=f"We recruit locally. {marker}".strip())
    services.bid_price_save(bid=bid, total=Decimal("1250.50"), actor=actor, breakdown=[
        {"item": f"Staff {marker}".strip(), "amount": Decimal("1000.00")},
        {"item": "Travel", "amount": Decimal("250.50")},
    ])
    if with_files:
        for slot in tender.document_slots.filter(required=True):
            services.bid_file_add(bid=bid, slot=slot, actor=actor,
                                  uploaded_file=pdf_upload(text=f"Method {marker}".strip()))
    services.bid_declarations_save(bid=bid, actor=actor,
                                   declarations={"accurate": True, "no_collusion": True})
    bid.refresh_from_db()
    return bid


def started_bid(tender: Tender, organisation, actor, lot=None) -> Bid:
    return services.bid_start(tender=tender, organisation=organisation, actor=actor, lot=lot)


def open_bids(tender: Tender, *, requested_by, confirmed_by) -> Opening:
    """The two-person opening, created directly (the evaluation engineer owns the service)."""
    from django.utils import timezone

    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.OPENED)
    tender.refresh_from_db()
    return Opening.objects.create(tender=tender, requested_by=requested_by,
                                  requested_at=timezone.now(), confirmed_by=confirmed_by,
                                  confirmed_at=timezone.now())


def provider_with_writer():
    """Another verified provider with a bid writer."""
    from organisations.models import Role

    organisation = factories.OrganisationFactory()
    return organisation, factories.member(organisation, Role.BID_WRITER)


__all__ = ["cf", "fill_bid", "open_bids", "pdf_bytes", "pdf_upload", "provider_with_writer",
           "ServerClock", "started_bid"]
