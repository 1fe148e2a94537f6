"""Reads about bids. Every accessor checks permission; content access is audited.

Other parts of the portal read bid content only through ``bid_content`` and
``bid_file_response``: before the tender's two-person opening they refuse everybody outside
the bidding organisation and its consortium; afterwards they admit panel evaluators without a
conflict and the authority's commissioners (see ``commissioning.permissions.bids``), and they
write a ``bid.content_viewed`` audit entry for every access.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse as url

from commissioning.models import (
    Bid,
    BidFile,
    BidReceipt,
    ConsortiumMember,
    DocumentSlot,
    Tender,
    TenderQuestion,
)
from commissioning.receipts import receipt_files
from commissioning.sealing import KEY, bids_are_opened, unseal, unsealer
from commissioning.selectors.stages import needs_price
from commissioning.services.bids import clock
from commissioning.services.bids.checks import Problem, contract_value, submission_problems
from commissioning.services.supplier_information import (
    confirmation_required,
    supplier_information_problem,
)
from core.audit import audit_record, audit_record_many
from core.documents import document_name, document_response
from core.selectors import one_of_or_404, one_or_none
from organisations.models import PROVIDER_ROLES, Organisation


def bid_get_for_user(*, user, pk: int, perm: str = "commissioning.view_bid") -> Bid:
    """The bid if the user's organisation is a party to it: 404 for anyone else.

    A party without `perm` (say, a consortium member trying to edit) gets PermissionDenied.
    """
    # The tender and the bidder, which every bid page and rule reads; the rest (authority, lot,
    # social value plan) is read by the few pages that show it. Each join here costs every bid
    # request, the busiest of which (upload, submit) need none of them.
    bid = one_or_none(Bid.objects.select_related(f"tender__{KEY}", "organisation").filter(pk=pk))
    if bid is None or not rules.has_perm("commissioning.view_bid", user, bid):
        raise Http404("No such bid.")
    if perm != "commissioning.view_bid" and not rules.has_perm(perm, user, bid):
        raise PermissionDenied
    return bid


def bid_draft(*, bid: Bid, user) -> dict[str, Any]:
    """The bid's payload for its own organisation's pages.

    Before the opening, edits are audited instead of reads; once the bids are opened, reading
    is audited as for anybody else.
    """
    if not rules.has_perm("commissioning.view_bid", user, bid):
        raise PermissionDenied
    payload = unseal(tender=bid.tender, blob=bid.sealed_content)
    if bids_are_opened(bid.tender):
        bid_reads_audit(user=user, bids=[bid], part="content", page="own bid")
    return payload


def bid_reads_audit(*, user, bids: Iterable[Bid], part: str, page: str) -> None:
    """Record that `user` was shown `part` of each bid: one entry per bid per page view.

    Every page that shows any part of an opened bid (answers, prices, commitments, files and
    their names) goes through here or through ``bid_content`` / ``bid_file_response``; a test
    crawls every URL pattern and fails on a page that shows bid content without an entry.
    """
    audit_record_many(actor=user, records=[
        {"action": "bid.content_viewed", "obj": bid,
         "summary": f"Viewed the {part} of bid #{bid.pk} ({page})",
         "changes": {"part": part, "page": page}} for bid in bids])


def bid_question_get(*, bid: Bid, pk) -> TenderQuestion:
    """One question of the (already checked) bid's tender, or 404."""
    return one_of_or_404(bid.tender.questions, pk, message="No such question in this tender.")


def bid_member_get(*, bid: Bid, pk) -> ConsortiumMember:
    """One consortium member of the (already checked) bid, or 404."""
    return one_of_or_404(bid.members.select_related("organisation"), pk,
                         message="No such member of this bid.")


def bid_slot_get(*, bid: Bid, pk) -> DocumentSlot | None:
    """The document slot of the bid's tender an upload is for (None: other documents)."""
    if not pk:
        return None
    return one_of_or_404(bid.tender.document_slots, pk,
                         message="No such document in this tender.")


@dataclass
class CommitmentsPreview:
    """Counting-rule issues and the monetised indicator of commitments as the bidder has them."""

    issues: list = field(default_factory=list)
    monetised: dict = field(default_factory=dict)  # {plan_measure_id: Monetised}


def bid_commitments_preview(*, bid: Bid, user, entries: list[dict]) -> CommitmentsPreview:
    """Check commitments as typed (not saved) against the tender's plan and the draft's price.

    For the bidder's own page, checked as they type: nothing is stored or audited, and the
    draft is read only for its price (the plausibility rules compare with the contract value).
    """
    plan = bid.tender.social_value_plan
    if plan is None:
        return CommitmentsPreview()
    from socialvalue.services import commitments_check, commitments_monetise

    value = contract_value(bid_draft(bid=bid, user=user))
    return CommitmentsPreview(
        issues=list(commitments_check(plan=plan, entries=entries, contract_value=value)),
        monetised=commitments_monetise(plan=plan, entries=entries))


def bid_content(*, bid: Bid, user) -> dict[str, Any]:
    """The sealed payload (see commissioning.sealing), for a party or, after opening, staff.

    Raises PermissionDenied otherwise. Every successful access is audited.
    """
    if not rules.has_perm("commissioning.view_bid_content", user, bid):
        raise PermissionDenied("Bid content is sealed until the bids are opened.")
    payload = unseal(tender=bid.tender, blob=bid.sealed_content)
    audit_record(actor=user, action="bid.content_viewed", obj=bid,
                 summary=f"Viewed the content of bid #{bid.pk}", changes={"part": "content"})
    return payload


def bid_file_response(*, bid_file: BidFile, user) -> FileResponse:
    """Download one of a bid's files (decrypted), with the same rule and audit as content."""
    bid = bid_file.bid
    if not rules.has_perm("commissioning.view_bid_content", user, bid):
        raise PermissionDenied("Bid files are sealed until the bids are opened.")
    response = document_response(bid_file.document, decrypt=unsealer(bid.tender))
    audit_record(actor=user, action="bid.content_viewed", obj=bid,
                 summary=f"Downloaded file #{bid_file.pk} of bid #{bid.pk}",
                 changes={"part": "file", "file": bid_file.pk,
                          "sha256": bid_file.document.sha256})
    return response


def bid_file_get_for_user(*, user, bid: Bid, pk: int) -> BidFile:
    bid_file = bid.files.select_related("document", "bid__tender").filter(pk=pk).first()
    if bid_file is None:
        raise Http404("No such file.")
    return bid_file


def bid_files(*, bid: Bid) -> list[BidFile]:
    """The bid's files, each with its unsealed file `name` (for the bid's own pages)."""
    files = list(bid.files.select_related("document", "slot").order_by("slot_id", "id"))
    decrypt = unsealer(bid.tender) if files else None
    for bid_file in files:
        bid_file.name = document_name(bid_file.document, decrypt=decrypt)
    return files


def bid_file_name(*, bid_file: BidFile, user) -> str:
    """One file's unsealed name, for its own bid's parties (messages after upload or removal)."""
    if not rules.has_perm("commissioning.view_bid", user, bid_file.bid):
        raise PermissionDenied
    return document_name(bid_file.document, decrypt=unsealer(bid_file.bid.tender))


def submitted_bid_count(*, tender: Tender, user) -> int:
    """How many bids are submitted: all that authority staff may know before opening."""
    if not rules.has_perm("commissioning.view_bid_count", user, tender):
        raise PermissionDenied
    return Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED).count()


def bids_for_organisation(*, user, organisation: Organisation | None) -> QuerySet[Bid]:
    """Bids the organisation leads or is a consortium member of ("Your bids")."""
    if organisation is None or not user.is_authenticated or not user.memberships.filter(
            organisation=organisation, role__in=PROVIDER_ROLES).exists():
        return Bid.objects.none()
    latest = BidReceipt.objects.order_by("-received_at", "-id")
    return (Bid.objects.filter(Q(organisation=organisation) | Q(members__organisation=organisation))
            .distinct().select_related("tender", "lot", "organisation")
            .prefetch_related(Prefetch("receipts", queryset=latest))
            .order_by("tender__deadline", "pk"))


def receipt_get_for_user(*, user, bid: Bid, pk: int) -> BidReceipt:
    """One receipt of the (already checked) bid, or 404; it carries that bid, read once."""
    receipt = one_or_none(BidReceipt.objects.filter(bid=bid, pk=pk))
    if receipt is None:
        raise Http404("No such receipt.")
    receipt.bid = bid
    return receipt


def receipt_files_for_user(*, user, receipt: BidReceipt) -> list[dict[str, Any]]:
    """The receipt's files with their names, for the bid's parties (audited after opening)."""
    bid = receipt.bid
    if not rules.has_perm("commissioning.view_bid", user, bid):
        raise PermissionDenied
    if bids_are_opened(bid.tender):
        bid_reads_audit(user=user, bids=[bid], part="file names", page="receipt")
    return receipt_files(receipt)


def latest_receipt(*, bid: Bid) -> BidReceipt | None:
    """The receipt of the bid's current submission (None while it is not submitted)."""
    if bid.status != Bid.Status.SUBMITTED:
        return None
    return BidReceipt.objects.filter(bid=bid).order_by("-received_at", "-id").first()


def tender_for_bidding(*, pk: int) -> Tender:
    """A published tender a provider may start a bid for (404 otherwise)."""
    tender = (Tender.objects.select_related("authority").prefetch_related("lots")
              .filter(pk=pk, status=Tender.Status.PUBLISHED).first())
    if tender is None:
        raise Http404("This tender is not open for bids.")
    return tender


def provider_search(*, query: str, exclude: list[int]) -> QuerySet[Organisation]:
    """Verified providers whose identifier is `query` or whose name contains it (at most 20)."""
    query = query.strip()
    if len(query) < 2:
        return Organisation.objects.none()
    matches = (Organisation.objects.filter(kind=Organisation.Kind.PROVIDER,
                                           verification_status=Organisation.Verification.VERIFIED)
               .filter(Q(org_id__iexact=query) | Q(name__icontains=query))
               .exclude(pk__in=exclude).order_by("name"))
    # Unsliced, so that a form's ModelChoiceField can look the chosen one up in it.
    return Organisation.objects.filter(pk__in=list(matches.values_list("pk", flat=True)[:20]))\
        .order_by("name")


def incident_tenders(*, user) -> QuerySet[Tender]:
    """Open tenders, for platform admins recording an incident (with their bid counts)."""
    if not rules.has_perm("commissioning.record_incident", user, None):
        return Tender.objects.none()
    return (Tender.objects.filter(status=Tender.Status.PUBLISHED)
            .select_related("authority").order_by("deadline", "pk")
            .annotate(submitted=Count("bids", filter=Q(bids__status=Bid.Status.SUBMITTED))))


def incident_tender_get(*, user, pk: int) -> Tender:
    tender = incident_tenders(user=user).filter(pk=pk).first()
    if tender is None:
        if not rules.has_perm("commissioning.record_incident", user, None):
            raise PermissionDenied
        raise Http404("This tender is not open for bids.")
    return tender


# -- the bid's task list ---------------------------------------------------------------------


@dataclass
class BidOverview:
    """What the bid's own pages show: its parts, their status and what stops submission."""

    bid: Bid
    payload: dict[str, Any]
    questions: list[TenderQuestion]
    slots: list[DocumentSlot]
    files: list[BidFile]
    members: list[ConsortiumMember]
    receipts: list[BidReceipt]
    problems: list[Problem] = field(default_factory=list)
    is_open: bool = True
    information_required: bool = False

    @property
    def editable(self) -> bool:
        return self.is_open and self.bid.status in (Bid.Status.DRAFT, Bid.Status.WITHDRAWN)

    @property
    def duplicate_names(self) -> list[str]:
        names = Counter(f.name for f in self.files)
        return sorted(name for name, count in names.items() if count > 1)

    @property
    def answered(self) -> list[tuple[TenderQuestion, str]]:
        return [(question, self.answer(question)) for question in self.questions]

    def answer(self, question: TenderQuestion) -> str:
        return (self.payload.get("answers") or {}).get(str(question.pk), "")

    def tasks(self) -> list[dict[str, Any]]:
        bid, done = self.bid, "Completed"
        items = [_task("Consortium members and key subcontractors",
                       url("commissioning:bid_consortium", args=[bid.pk]),
                       f"{len(self.members)} added" if self.members else "Optional",
                       hint="Only if you bid with other organisations")]
        for question in self.questions:
            problem = self._problem("question", question.pk)
            started = bool(self.answer(question).strip())
            items.append(_task(f"Question {question.number}",
                               url("commissioning:bid_answer", args=[bid.pk, question.pk]),
                               _status(problem, started, done), hint=question.text[:120]))
        if needs_price(bid.tender):
            price_problem = self._problem("price")
            items.append(_task("Price", url("commissioning:bid_price", args=[bid.pk]),
                               _status(price_problem, bool(self.payload.get("price")), done)))
        information = self._problem("supplier_information")
        if self.information_required:
            items.append(_task("Core supplier information",
                               url("commissioning:bid_supplier_information", args=[bid.pk]),
                               _status(information, False, done)))
        if bid.tender.social_value_plan_id:
            sv_problem = self._problem("social_value")
            items.append(_task("Social value commitments",
                               url("commissioning:bid_social_value", args=[bid.pk]),
                               _status(sv_problem, bool(self.payload.get("social_value")),
                                       done)))
        if self.slots:
            items.append(_task("Documents", url("commissioning:bid_documents", args=[bid.pk]),
                               _status(self._problem("documents"), bool(self.files), done)))
        return items if self.editable else [{**item, "href": ""} for item in items]

    def _problem(self, section: str, target: int | None = None) -> Problem | None:
        return next((p for p in self.problems if p.section == section
                     and (target is None or p.target == target)), None)


def _task(title: str, href: str, status: tuple[str, str] | str, hint: str = "") -> dict:
    text, colour = status if isinstance(status, tuple) else (status, "")
    return {"title": title, "href": href, "status": text, "status_colour": colour,
            "hint": hint}


def _status(problem: Problem | None, started: bool, done: str) -> tuple[str, str]:
    """Completed only once something is entered and nothing is missing: a part with nothing
    in it is "Not yet started" even when submission would not require it."""
    if problem is None and started:
        return done, ""
    return ("Incomplete", "blue") if started else ("Not yet started", "blue")


def bid_overview(*, bid: Bid, user) -> BidOverview:
    """The bid, its decrypted draft and what it still needs, for the bidder's own pages."""
    tender = bid.tender
    files = bid_files(bid=bid)
    overview = BidOverview(
        bid=bid, payload=bid_draft(bid=bid, user=user),
        questions=list(tender.questions.all()), slots=list(tender.document_slots.all()),
        files=files, members=list(bid.members.select_related("organisation")),
        receipts=list(bid.receipts.all()),
        is_open=clock.is_open(tender, clock.server_now()))
    overview.problems = submission_problems(
        bid, overview.payload, questions=overview.questions, slots=overview.slots,
        slot_ids_with_files={f.slot_id for f in files if f.slot_id})
    overview.information_required = confirmation_required(bid)
    information = supplier_information_problem(bid) if overview.information_required else None
    if information is not None:
        overview.problems.append(information)
    return overview
