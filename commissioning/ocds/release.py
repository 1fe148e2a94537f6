"""One OCDS 1.1.5 release: the tender as it is at the moment of the event.

What is public, and when:

- the tender notice data from publication (a draft appears only as a ``planning`` release
  when its project is public);
- who bid, how many bids, and the share from SMEs and VCSEs, only once the deadline has passed
  (bids are sealed until then);
- awards only once the contract award notice is published, with the award value; nothing a
  bidder wrote (answers, prices of bids, commitments) is ever serialised;
- contracts once entered into.

Amounts are JSON numbers (the schema's ``number``): Decimals become ints or floats at this
boundary only, which is exact for pounds and pence below 2**53 pence.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse

from commissioning.models import (
    Award,
    AwardCriterion,
    Bid,
    ConsortiumMember,
    Tender,
    TenderDocument,
)
from commissioning.ocds import find_a_tender
from commissioning.ocds.parties import PartyList
from commissioning.ocds.related import of_tender as related_processes_of
from core.calendar import LONDON

# The public download of a tender document (kwargs: tender pk, tender document pk).
DOCUMENT_URL_NAME = "commissioning:tender_document"

TENDER_STATUS = {
    Tender.Status.DRAFT: "planning",
    Tender.Status.PUBLISHED: "active",
    Tender.Status.OPENED: "active",
    Tender.Status.EVALUATION: "active",
    Tender.Status.AWARDING: "active",
    Tender.Status.STANDSTILL: "active",
    Tender.Status.CONTRACTED: "complete",
    Tender.Status.CANCELLED: "cancelled",
}
PROCUREMENT_METHOD = {
    Tender.Procedure.OPEN: "open",
    Tender.Procedure.COMPETITIVE_FLEXIBLE: "selective",
    # Below threshold no pre-tender suitability filtering is allowed (s.85): anyone may bid.
    Tender.Procedure.BELOW_THRESHOLD: "open",
    Tender.Procedure.DIRECT: "direct",
}
AWARD_STATUS = {
    Award.Status.PROPOSED: "pending",
    Award.Status.APPROVED: "pending",
    Award.Status.STANDSTILL: "pending",
    Award.Status.CONTRACTED: "active",
    Award.Status.CANCELLED: "cancelled",
}


def load_tender(pk: int) -> Tender:
    """The tender with everything a release needs, in a fixed number of queries."""
    members = ConsortiumMember.objects.filter(role=ConsortiumMember.Role.MEMBER).select_related(
        "organisation").order_by("pk")
    bids = Bid.objects.filter(status=Bid.Status.SUBMITTED).select_related(
        "organisation", "lot").prefetch_related(Prefetch("members", queryset=members))
    awards = (
        Award.objects.filter(notice_published_at__isnull=False)
        .select_related("bid__organisation", "supplier", "lot", "contract")
        .prefetch_related(Prefetch("bid__members", queryset=members))
        .order_by("notice_published_at", "pk")
    )
    return (
        Tender.objects.select_related("authority", "project", "direct_award__switched_from",
                                      "staged_procedure")
        .prefetch_related(
            "cpv_codes", "lots", "staged_procedure__stages__round",
            Prefetch("documents", queryset=TenderDocument.objects.filter(
                published_at__isnull=False).select_related("document").order_by("pk")),
            Prefetch("criteria", queryset=AwardCriterion.objects.filter(parent__isnull=True)),
            Prefetch("bids", queryset=bids),
            Prefetch("awards", queryset=awards),
        )
        .get(pk=pk)
    )


def build_release(*, tender: Tender, ocid: str, release_id: str, tags: list[str],
                  now: datetime.datetime) -> dict:
    """Serialise ``tender`` (loaded with ``load_tender``) into one release."""
    parties = PartyList()
    buyer = parties.add(tender.authority, "buyer", "procuringEntity")
    parties.contact(tender.authority, name=tender.contact_name, email=tender.contact_email)
    after_deadline = tender.deadline is not None and tender.deadline <= now
    bids = list(tender.bids.all()) if after_deadline and tender.published_at else []
    release: dict = {
        "ocid": ocid,
        "id": release_id,
        "date": timestamp(now),
        "tag": list(tags),
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
    }
    planning = _planning(tender)
    if planning:
        release["planning"] = planning
    related = related_processes_of(tender)
    if related:
        release["relatedProcesses"] = related
    release["tender"] = _tender(tender, bids, parties, now)
    if bids:
        release["bids"] = {"statistics": bid_statistics(bids, tender)}
    awards = list(tender.awards.all()) if is_public(tender) else []
    if awards:
        release["awards"] = [_award(tender, award, parties) for award in awards]
        contracts = [_contract(award, now) for award in awards if _has_contract(award)]
        if contracts:
            release["contracts"] = contracts
    release["parties"] = parties.as_list()
    return release


def is_public(tender: Tender) -> bool:
    """Published tenders; and a direct award's procurement, public from its transparency notice
    (it is never published as a tender: ADR 0029)."""
    return tender.published_at is not None or tender.procedure == Tender.Procedure.DIRECT


def timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _day_start(day: datetime.date) -> str:
    return timestamp(datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON))


def _day_end(day: datetime.date) -> str:
    return timestamp(datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=LONDON))


def amount(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal, gross: Decimal | None = None) -> dict:
    result: dict = {"amount": amount(value), "currency": "GBP"}
    if gross is not None:
        result["amountGross"] = amount(gross)  # UK extension: the value including VAT
    return result


def _planning(tender: Tender) -> dict | None:
    project = tender.project
    if project is None or not project.is_public:
        return None
    planning: dict = {"rationale": project.need}
    if project.budget is not None:
        planning["budget"] = {"id": f"project-{project.pk}", "description": project.title,
                              "amount": money(project.budget)}
    return planning


def _tender(tender: Tender, bids: list[Bid], parties: PartyList, now) -> dict:
    section: dict = {
        "id": tender.reference or str(tender.pk),
        "title": tender.title,
        "description": tender.summary,
        "status": tender_status(tender, bids, now),
        "procurementMethod": PROCUREMENT_METHOD[tender.procedure],
        "procurementMethodDetails": _method_details(tender),
        "mainProcurementCategory": tender.contract_type,
        "value": _tender_value(tender),
    }
    if tender.procedure == Tender.Procedure.DIRECT:
        section["procurementMethodRationale"] = tender.description
    items = _items(tender)
    if items:
        section["items"] = items
    if tender.above_threshold is not None:
        section["aboveThreshold"] = tender.above_threshold
    if tender.is_light_touch:
        section["specialRegime"] = ["lightTouch"]
    if tender.is_reserved_for_mutuals:
        section["otherRequirements"] = {
            "reservedParticipation": ["publicServiceMissionOrganization"]}
    contract_period = find_a_tender.contract_period(tender)
    if contract_period:
        section["contractPeriod"] = contract_period
    section.update(_lots(tender))
    lot_details = find_a_tender.lot_details(tender, "lots" in section)
    if lot_details:
        section["lotDetails"] = lot_details
    section.update(find_a_tender.staged_procedure(tender))
    if tender.status == Tender.Status.DRAFT:
        return section
    section.update(_timeline(tender))
    if tender.cancellation_reason and tender.status == Tender.Status.CANCELLED:
        section["statusDetails"] = tender.cancellation_reason
    documents = [_document(tender, document) for document in tender.documents.all()]
    if documents:
        section["documents"] = documents
    if bids:
        tenderers = {}
        for bid in bids:
            for organisation in bidding_organisations(bid):
                tenderers[organisation.pk] = parties.add(organisation, "tenderer")
        section["tenderers"] = list(tenderers.values())
        section["numberOfTenderers"] = len({bid.organisation_id for bid in bids})
    return section


def _tender_value(tender: Tender) -> dict:
    if tender.procedure == Tender.Procedure.DIRECT:
        return money(tender.estimated_value_ex_vat)  # a direct award records no VAT-inclusive value
    return money(tender.estimated_value_ex_vat, tender.estimated_value_inc_vat)


def tender_status(tender: Tender, bids: list[Bid], now) -> str:
    closed = tender.deadline is not None and tender.deadline <= now
    if tender.status == Tender.Status.CANCELLED and closed and not bids:
        return "unsuccessful"  # nobody bid: the procurement ended without a tender to award
    return TENDER_STATUS[tender.status]


def _method_details(tender: Tender) -> str:
    details = tender.get_procedure_display()
    if tender.above_threshold is not None:
        details += " (above threshold)" if tender.above_threshold else " (below threshold)"
    if tender.is_light_touch:
        details += ", light touch regime"
    return details


def _items(tender: Tender) -> list[dict]:
    codes = sorted(tender.cpv_codes.all(), key=lambda cpv: (not cpv.is_main, cpv.code))
    if not codes:
        return []
    item: dict = {"id": "1", "description": tender.title,
                  "classification": {"scheme": "CPV", "id": codes[0].code},
                  **find_a_tender.delivery(tender)}
    if len(codes) > 1:
        item["additionalClassifications"] = [{"scheme": "CPV", "id": cpv.code}
                                             for cpv in codes[1:]]
    return [item]


def _lots(tender: Tender) -> dict:
    suitability = {"sme": tender.suitable_for_sme, "vcse": tender.suitable_for_vcse}
    lots = []
    for lot in tender.lots.all():
        entry: dict = {"id": str(lot.number), "title": lot.title,
                       "suitability": dict(suitability)}
        if lot.description:
            entry["description"] = lot.description
        if lot.estimated_value_ex_vat is not None:
            entry["value"] = money(lot.estimated_value_ex_vat)
        lots.append(entry)
    if not lots:
        return {"suitability": suitability}
    return {"lots": lots}


def _timeline(tender: Tender) -> dict:
    section: dict = {
        "submissionMethod": ["electronicSubmission"],
        "awardCriteria": "ratedCriteria",
    }
    if tender.published_at or tender.deadline:
        period = {}
        if tender.published_at:
            period["startDate"] = timestamp(tender.published_at)
        if tender.deadline:
            period["endDate"] = timestamp(tender.deadline)
        section["tenderPeriod"] = period
    if tender.questions_deadline:
        section["enquiryPeriod"] = {"endDate": timestamp(tender.questions_deadline)}
    criteria = list(tender.criteria.all())
    if criteria:
        section["awardCriteriaDetails"] = "; ".join(_criterion_text(c) for c in criteria)
    return section


def _criterion_text(criterion: AwardCriterion) -> str:
    if criterion.kind == AwardCriterion.Kind.PASS_FAIL:
        return f"{criterion.name}: pass or fail"
    return f"{criterion.name}: {criterion.weight.normalize():f}%"


def _document(tender: Tender, tender_document: TenderDocument) -> dict:
    stored = tender_document.document
    entry: dict = {
        "id": str(tender_document.pk),
        "documentType": "biddingDocuments",
        "title": tender_document.title,
        "datePublished": timestamp(tender_document.published_at),
        "format": stored.content_type,
    }
    url = document_url(tender, tender_document)
    if url and not tender_document.withdrawn_at:
        entry["url"] = url
    if tender_document.withdrawn_at:
        entry["dateModified"] = timestamp(tender_document.withdrawn_at)
        entry["description"] = "Withdrawn: this document no longer applies."
    return entry


def document_url(tender: Tender, tender_document: TenderDocument) -> str | None:
    try:
        path = reverse(DOCUMENT_URL_NAME,
                       kwargs={"pk": tender.pk, "document_pk": tender_document.pk})
    except NoReverseMatch:
        return None  # the public tender pages are not mounted
    return f"{settings.PORTAL_BASE_URL}{path}"


def bidding_organisations(bid: Bid) -> list:
    """The lead bidder and its consortium members (key subcontractors are not tenderers)."""
    return [bid.organisation, *(member.organisation for member in bid.members.all())]


def bid_statistics(bids: list[Bid], tender: Tender) -> list[dict]:
    """Counts by the lead bidder's status; per lot too when the tender has lots.

    ``bids`` and ``smeBids`` are in the bid extension's codelist; ``finalStageBids`` and its SME
    and VCSE variants are the UK extension's (a single-stage procedure's bids are final-stage).
    """
    groups: list[tuple[str | None, list[Bid]]] = [(None, bids)]
    for lot in tender.lots.all():
        lot_bids = [bid for bid in bids if bid.lot_id == lot.pk]
        if lot_bids:
            groups.append((str(lot.number), lot_bids))
    statistics = []
    for lot_id, group in groups:
        sme = sum(bid.organisation.is_sme for bid in group)
        vcse = sum(bid.organisation.is_vcse for bid in group)
        for measure, value in (("bids", len(group)), ("smeBids", sme),
                               ("finalStageBids", len(group)), ("smeFinalStageBids", sme),
                               ("vcseFinalStageBids", vcse)):
            entry: dict = {"id": f"{measure}-{lot_id or 'all'}", "measure": measure,
                           "value": value}
            if lot_id:
                entry["relatedLot"] = lot_id
            statistics.append(entry)
    return statistics


def _award(tender: Tender, award: Award, parties: PartyList) -> dict:
    lead, *members = bidding_organisations(award.bid) if award.bid else [award.supplier]
    suppliers = [parties.add(lead, "supplier", "payee"),
                 *(parties.add(member, "supplier") for member in members)]
    entry: dict = {
        "id": str(award.pk),
        "title": f"{tender.title}: {award.lot.title}" if award.lot else tender.title,
        "status": AWARD_STATUS[award.status],
        "date": timestamp(award.notice_published_at),
        "value": money(award.value),
        "suppliers": suppliers,
    }
    if award.lot:
        entry["relatedLots"] = [str(award.lot.number)]
    contract = award.contract if _has_contract(award) else None
    if contract:
        entry["contractPeriod"] = {"startDate": _day_start(contract.starts_on),
                                   "endDate": _day_end(contract.ends_on)}
    if award.standstill_ends_on:
        entry["standstillPeriod"] = {"startDate": timestamp(award.notice_published_at),
                                     "endDate": _day_end(award.standstill_ends_on)}
    if award.assessment_summaries_sent_at:
        entry["assessmentSummariesDateSent"] = timestamp(award.assessment_summaries_sent_at)
    return entry


def _has_contract(award: Award) -> bool:
    try:
        return award.contract is not None
    except Award.contract.RelatedObjectDoesNotExist:
        return False


def _contract(award: Award, now) -> dict:
    contract = award.contract
    ended = contract.terminated_at is not None or contract.ends_on < now.astimezone(LONDON).date()
    entry: dict = {
        "id": str(contract.pk),
        "awardID": str(award.pk),
        "title": f"Contract with {award.supplier.name}",
        "status": "terminated" if ended else "active",
        "value": money(contract.value),
        "period": {"startDate": _day_start(contract.starts_on),
                   "endDate": _day_end(contract.ends_on)},
        "dateSigned": timestamp(contract.signed_at),
    }
    if contract.terminated_at:
        entry["description"] = (
            f"Terminated on {contract.terminated_at.astimezone(LONDON):%d %B %Y}"
            + (f": {contract.termination_reason}" if contract.termination_reason else ".")
        )
    return entry
