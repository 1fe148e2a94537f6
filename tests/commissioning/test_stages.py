"""A competitive flexible procedure in stages: each stage keeps the single stage's guarantees
(server deadline, sealing, receipts, two-person opening, audit), the shortlist follows the
notice's numbers and tells each supplier why, and only the shortlist goes on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.models import Bid, BidReceipt, ProcedureStage, Release, Tender
from commissioning.selectors import stages as selectors
from commissioning.selectors.tenders import public_tenders, tender_get_public
from commissioning.services import bids as bid_services
from commissioning.services import stages as services
from commissioning.services.opening import opening_confirm, opening_request
from commissioning.services.tenders import tender_publish
from core.models import AuditEntry, Notification
from tests import factories
from tests.commissioning import factories as cf
from tests.commissioning import stages_support as support
from tests.commissioning.bids_support import ServerClock

pytestmark = pytest.mark.django_db


def test_only_a_draft_competitive_flexible_procedure_gets_stages(authority, commissioner):
    open_tender = cf.publishable_tender(authority=authority, created_by=commissioner)
    with pytest.raises(ValidationError, match="competitive flexible"):
        services.procedure_design(actor=commissioner, tender=open_tender, data=support.DESIGN)
    cfp = cf.publishable_tender(authority=authority, created_by=commissioner,
                                procedure=Tender.Procedure.COMPETITIVE_FLEXIBLE)
    with pytest.raises(ValidationError) as error:
        services.procedure_design(actor=commissioner, tender=cfp,
                                  data={**support.DESIGN, "min_suppliers": 4, "max_suppliers": 3})
    assert "max_suppliers" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.procedure_design(actor=commissioner, tender=cfp,
                                  data={**support.DESIGN, "refinement_terms": ""})
    assert "refinement_terms" in error.value.message_dict
    outsider = factories.member(factories.OrganisationFactory(), "commissioner")
    with pytest.raises(PermissionDenied):
        services.procedure_design(actor=outsider, tender=cfp, data=support.DESIGN)


def test_a_round_is_never_public_and_cannot_be_published_on_its_own(authority, commissioner):
    staged = support.designed(authority, commissioner)
    round_tender = staged.participation.round
    assert round_tender.status == Tender.Status.PUBLISHED and round_tender.published_at is None
    assert not public_tenders().filter(pk=round_tender.pk).exists()
    assert public_tenders().filter(pk=staged.tender.pk).exists()
    with pytest.raises(Exception, match="No such tender"):
        tender_get_public(user=factories.UserFactory(), pk=round_tender.pk)
    assert not Release.objects.filter(ocid=round_tender.ocid or "none").exists()
    draft = support.services.stage_add(
        actor=commissioner, procedure=staged.procedure, kind=ProcedureStage.Kind.NEGOTIATION,
        title="Round 1", deadline=timezone.now() + timedelta(days=20))
    with pytest.raises(ValidationError, match="stage of a procedure"):
        tender_publish(actor=commissioner, tender=draft.round)


def test_stage_design_rules(authority, commissioner):
    staged = support.designed(authority, commissioner)
    with pytest.raises(ValidationError, match="only one"):
        services.stage_add(actor=commissioner, procedure=staged.procedure,
                           kind=ProcedureStage.Kind.PARTICIPATION, title="Again",
                           deadline=timezone.now() + timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        services.stage_add(actor=commissioner, procedure=staged.procedure,
                           kind=ProcedureStage.Kind.NEGOTIATION, title="Too late",
                           deadline=staged.tender.deadline + timedelta(days=1))
    assert "deadline" in error.value.message_dict
    stage = services.stage_add(actor=commissioner, procedure=staged.procedure,
                               kind=ProcedureStage.Kind.NEGOTIATION, title="Round 1",
                               deadline=timezone.now() + timedelta(days=20))
    cf.TenderQuestionFactory(tender=stage.round, number=1)
    with pytest.raises(ValidationError, match="Publish the shortlist"):
        services.stage_open(actor=commissioner, stage=stage)


def test_a_request_to_participate_is_sealed_has_no_price_and_gets_a_receipt(authority,
                                                                            commissioner):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer)
    request = support.submit(staged.participation.round, organisation, writer,
                             answer="SECRETANSWER comparable services", price=False)
    assert request.status == Bid.Status.SUBMITTED
    assert b"SECRETANSWER" not in bytes(request.sealed_content)
    assert BidReceipt.objects.filter(bid=request).count() == 1
    entries = AuditEntry.objects.filter(object_id=str(request.pk), action="bid.submitted")
    assert entries.get().actor_label == "sealed"


def test_the_participation_deadline_is_enforced_by_the_server_clock(authority, commissioner,
                                                                    monkeypatch):
    staged = support.designed(authority, commissioner)
    organisation, writer = support.supplier()
    support.keep_information(organisation, writer)
    round_tender = staged.participation.round
    request = bid_services.bid_start(tender=round_tender, organisation=organisation,
                                     actor=writer)
    for question in round_tender.questions.all():
        bid_services.bid_answer_save(bid=request, question=question, actor=writer, text="Yes")
    bid_services.bid_declarations_save(bid=request, actor=writer,
                                       declarations={"accurate": True, "no_collusion": True})
    support.information.supplier_information_confirm(actor=writer, bid=request)
    ServerClock(monkeypatch).at(round_tender.deadline)
    with pytest.raises(ValidationError, match="deadline"):
        bid_services.bid_submit(bid=request, actor=writer)
    request.refresh_from_db()
    assert request.status == Bid.Status.DRAFT
    ServerClock(monkeypatch).at(round_tender.deadline - timedelta(microseconds=1))
    bid_services.bid_submit(bid=request, actor=writer)
    request.refresh_from_db()
    assert request.status == Bid.Status.SUBMITTED


def test_requests_are_opened_by_two_different_people_and_named_only_then(authority,
                                                                         commissioner):
    staged = support.with_requests(support.designed(authority, commissioner), count=3)
    round_tender = staged.participation.round
    assert selectors.requests_to_decide(staged.procedure) == []
    support.close(round_tender)
    opening_request(tender=round_tender, actor=commissioner)
    with pytest.raises(ValidationError, match="different person"):
        opening_confirm(tender=round_tender, actor=commissioner)
    assert selectors.requests_to_decide(staged.procedure) == []
    opening_confirm(tender=round_tender, actor=staged.colleague)
    assert len(selectors.requests_to_decide(staged.procedure)) == 3


def test_the_shortlist_keeps_to_the_notice_and_tells_each_supplier_why(authority,
                                                                       commissioner):
    staged = support.with_requests(support.designed(authority, commissioner), count=4)
    support.open_round(staged, staged.participation.round)
    first, *others = staged.requests
    with pytest.raises(ValidationError):
        services.shortlist_decide(actor=commissioner, procedure=staged.procedure,
                                  request=first, included=True, reasons=" ")
    for request in staged.requests:
        services.shortlist_decide(actor=commissioner, procedure=staged.procedure,
                                  request=request, included=True, reasons="Strong evidence.")
    with pytest.raises(ValidationError, match="at most 3"):
        services.shortlist_publish(actor=commissioner, procedure=staged.procedure)
    services.shortlist_decide(actor=commissioner, procedure=staged.procedure,
                              request=others[-1], included=False,
                              reasons="Capacity evidence was weaker.")
    services.shortlist_publish(actor=commissioner, procedure=staged.procedure)
    _, rejected_writer = staged.suppliers[-1]
    told = Notification.objects.get(recipient=rejected_writer,
                                    subject__startswith="Shortlist decision")
    assert "has not been shortlisted" in told.body
    assert "Capacity evidence was weaker." in told.body
    _, chosen_writer = staged.suppliers[0]
    told = Notification.objects.get(recipient=chosen_writer,
                                    subject__startswith="Shortlist decision")
    assert "has been shortlisted" in told.body and "Strong evidence." in told.body
    staged.procedure.refresh_from_db()
    assert selectors.shortlisted_ids(staged.procedure) == {
        org.pk for org, _ in staged.suppliers[:3]}
    with pytest.raises(ValidationError, match="cannot change"):
        services.shortlist_decide(actor=commissioner, procedure=staged.procedure,
                                  request=first, included=False, reasons="Changed my mind.")


def test_fewer_than_the_minimum_needs_a_reason(authority, commissioner):
    staged = support.with_requests(support.designed(authority, commissioner), count=2)
    support.open_round(staged, staged.participation.round)
    for request in staged.requests:
        services.shortlist_decide(actor=commissioner, procedure=staged.procedure,
                                  request=request, included=True, reasons="Meets both.")
    with pytest.raises(ValidationError) as error:
        services.shortlist_publish(actor=commissioner, procedure=staged.procedure)
    assert "fewer_reason" in error.value.message_dict
    services.shortlist_publish(actor=commissioner, procedure=staged.procedure,
                               fewer_reason="Only two requests were received.")
    assert AuditEntry.objects.filter(action="procedure.shortlist_published").exists()


def test_only_the_shortlist_takes_part_in_negotiation_and_final_tenders(authority,
                                                                        commissioner):
    staged = support.shortlisted(support.with_requests(support.designed(authority,
                                                                        commissioner)))
    stage = support.negotiation(staged)
    left_out, left_out_writer = staged.suppliers[3]
    for tender in (stage.round, staged.tender):
        with pytest.raises(ValidationError, match="shortlist"):
            bid_services.bid_start(tender=tender, organisation=left_out, actor=left_out_writer)
    outsider, outsider_writer = support.supplier()
    with pytest.raises(ValidationError, match="shortlist"):
        bid_services.bid_start(tender=staged.tender, organisation=outsider,
                               actor=outsider_writer)
    organisation, writer = staged.suppliers[0]
    initial = support.submit(stage.round, organisation, writer)
    final = support.submit(staged.tender, organisation, writer)
    assert initial.status == final.status == Bid.Status.SUBMITTED
    assert initial.tender_id != final.tender_id


def test_a_negotiation_round_is_sealed_opened_by_two_and_minuted(authority, commissioner):
    staged = support.shortlisted(support.with_requests(support.designed(authority,
                                                                        commissioner)))
    stage = support.negotiation(staged)
    organisation, writer = staged.suppliers[0]
    tender = support.submit(stage.round, organisation, writer, answer="ROUNDSECRET offer")
    assert b"ROUNDSECRET" not in bytes(tender.sealed_content)
    support.open_round(staged, stage.round)
    assert stage.round.status == Tender.Status.OPENED
    meeting = services.meeting_record(actor=commissioner, stage=stage,
                                      organisation=organisation,
                                      held_at=timezone.now() - timedelta(hours=1),
                                      attendees="Two officers; the supplier's director",
                                      minutes="Discussed staffing levels at weekends.")
    assert meeting.pk and AuditEntry.objects.filter(action="procedure.meeting_recorded").exists()
    left_out, _ = staged.suppliers[3]
    with pytest.raises(ValidationError):
        services.meeting_record(actor=commissioner, stage=stage, organisation=left_out,
                                held_at=timezone.now(), attendees="x", minutes="y")
    with pytest.raises(ValidationError):
        services.meeting_record(actor=commissioner, stage=staged.participation,
                                organisation=organisation, held_at=timezone.now(),
                                attendees="x", minutes="y")


def test_criteria_are_refined_only_where_the_notice_allowed_and_everyone_is_told(
        authority, commissioner):
    staged = support.shortlisted(support.with_requests(support.designed(authority,
                                                                        commissioner)))
    refinement = services.refinement_record(
        actor=commissioner, procedure=staged.procedure, after_stage=staged.participation,
        description="Weekend cover becomes a quality sub-criterion (10 of the 60 points).")
    assert refinement.pk
    told = Notification.objects.filter(subject__startswith="Award criteria refined")
    assert told.exists()
    told_people = {n.recipient_id for n in told}
    assert told_people == {writer.pk for _, writer in staged.suppliers[:3]}
    assert AuditEntry.objects.filter(action="procedure.criteria_refined").exists()


def test_refinement_is_refused_when_the_notice_did_not_allow_it(authority, commissioner):
    staged = support.designed(authority, commissioner, refinement_allowed=False,
                              refinement_terms="")
    support.open_round(staged, staged.participation.round)
    with pytest.raises(ValidationError, match="did not allow"):
        services.refinement_record(actor=commissioner, procedure=staged.procedure,
                                   after_stage=staged.participation, description="Change")


def test_a_rounds_submissions_are_read_only_by_an_evaluator_who_declared_no_conflict(
        authority, commissioner):
    """Conflicts of interest hold in every stage: on a round's panel, a submission is read only
    after a declaration, and never by someone who declared a conflict with that supplier."""
    from commissioning.services.evaluation import conflict_declare, evaluator_add
    from organisations.models import Role

    staged = support.shortlisted(support.with_requests(support.designed(authority,
                                                                        commissioner)))
    stage = support.negotiation(staged)
    (first_org, first_writer), (second_org, second_writer) = staged.suppliers[:2]
    first = support.submit(stage.round, first_org, first_writer)
    second = support.submit(stage.round, second_org, second_writer)
    support.open_round(staged, stage.round)
    evaluator = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    evaluator_add(tender=stage.round, actor=commissioner, user=evaluator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not evaluator.has_perm("commissioning.view_bid_content", first)  # not declared yet
    conflict_declare(tender=stage.round, actor=evaluator, has_conflict=True,
                     organisations=[first_org], details="I was a trustee of this supplier.")
    assert not evaluator.has_perm("commissioning.view_bid_content", first)
    assert evaluator.has_perm("commissioning.view_bid_content", second)
