"""Public tender pages: the list with filters, one tender, its documents, registering interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from commissioning.filters import PublicTenderFilter
from commissioning.listing import SCOPE as LIST_SCOPE
from commissioning.presenters.bids import own_bid_lines
from commissioning.presenters.tender_list import applied_filters, carried_query
from commissioning.presenters.tender_public import (
    award_rows,
    contract_rows,
    criteria_rows,
    notice_rows,
)
from commissioning.presenters.tenders import TenderPresenter, document_link, tender_list_rows
from commissioning.selectors import tenders as selectors
from commissioning.selectors.bid_record import own_bids_for_tender
from commissioning.selectors.cpv import cpv_descriptions
from commissioning.selectors.notices import tender_public_notices
from commissioning.selectors.public_tender import public_awards, public_criteria
from commissioning.services.reservation import supplier_status
from commissioning.services.tenders import supplier_interest_register
from commissioning.views.common import paginate
from core import pagecache
from core.documents import document_response
from core.pagecache import public_page_cache
from organisations.selectors import current_organisation

TENDER_LIST = "commissioning/public/tender_list.html"


@require_GET
@public_page_cache(LIST_SCOPE)
def tender_list(request):
    listing = pagecache.fragment(LIST_SCOPE, request, "listing", lambda: _listing(request))
    if pagecache.wants_fragment(request):
        return HttpResponse(listing)
    return render(request, TENDER_LIST, {"listing": listing})


def _listing(request) -> str:
    """The filter form and one page of results, the same for everyone with this query; the
    form and the count depend only on the filters, so other pages of them reuse both."""
    tender_filter = PublicTenderFilter(request.GET or None,
                                       queryset=selectors.public_tender_list())
    filters = pagecache.query_key(request, ignore=("page",))
    form = pagecache.remember(LIST_SCOPE, "form", lambda: str(tender_filter.form), query=filters)
    count = pagecache.remember(LIST_SCOPE, "count", tender_filter.qs.count, query=filters)
    page = paginate(request, tender_filter.qs, count=count)
    return render_to_string(f"{TENDER_LIST}#listing", {
        "form": form, "page_obj": page, "rows": tender_list_rows(page),
        "applied": applied_filters(tender_filter), "query": carried_query(request.GET),
    }, request)


@require_GET
def tender_detail(request, pk: int):
    tender = selectors.tender_get_public(user=request.user, pk=pk)
    documents = selectors.published_documents(tender=tender)
    organisation = current_organisation(request)
    own_bids = own_bids_for_tender(user=request.user, organisation=organisation, tender=tender)
    presenter = TenderPresenter(tender, request.user)
    return render(request, "commissioning/public/tender_detail.html", {
        "tender": tender, "presenter": presenter,
        "own_bids": own_bid_lines(own_bids, is_open=presenter.is_open),
        "lots": tender.lots.all(), "contract_rows": contract_rows(tender),
        "criteria": criteria_rows(public_criteria(tender=tender)),
        "awards": award_rows(public_awards(tender=tender)),
        "cpv_codes": _cpv_rows(tender),
        "documents": [document_link(tender, d) for d in documents],
        "clarifications": selectors.answered_clarifications(tender=tender),
        "notices": notice_rows(tender_public_notices(tender=tender)),
        "interested": selectors.has_registered_interest(user=request.user, tender=tender),
        "reservation": supplier_status(tender=tender, organisation=organisation),
    })


def _cpv_rows(tender) -> list[dict]:
    codes = list(tender.cpv_codes.order_by("-is_main", "code"))
    names = cpv_descriptions(c.code for c in codes) if codes else {}
    return [{"code": c.code, "is_main": c.is_main,
             "description": names.get(c.code.split("-")[0], "")} for c in codes]


@require_GET
def tender_document(request, pk: int, document_pk: int):
    document = selectors.tender_document_get_public(user=request.user, tender_pk=pk,
                                                    pk=document_pk)
    return document_response(document.document)


@login_required
@require_POST
def tender_register_interest(request, pk: int):
    tender = selectors.tender_get_public(user=request.user, pk=pk)
    organisation = current_organisation(request)
    if organisation is None:
        raise PermissionDenied
    supplier_interest_register(actor=request.user, tender=tender, organisation=organisation)
    messages.success(request, f"{organisation.name} will be told about answers to questions and "
                              "changes to this tender.")
    return redirect("commissioning:tender_detail", pk=tender.pk)
