"""Public tender pages: the list with filters, one tender, its documents, registering interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commissioning.filters import PublicTenderFilter
from commissioning.presenters.tenders import TenderPresenter, document_link, tender_list_rows
from commissioning.selectors import tenders as selectors
from commissioning.services.reservation import supplier_status
from commissioning.services.tenders import supplier_interest_register
from commissioning.views.common import paginate
from core.documents import document_response
from organisations.selectors import current_organisation


@require_GET
def tender_list(request):
    tender_filter = PublicTenderFilter(request.GET or None, queryset=selectors.public_tenders())
    page = paginate(request, tender_filter.qs)
    return render(request, "commissioning/public/tender_list.html", {
        "filter": tender_filter, "page_obj": page, "rows": tender_list_rows(page),
    })


@require_GET
def tender_detail(request, pk: int):
    tender = selectors.tender_get_public(user=request.user, pk=pk)
    documents = selectors.published_documents(tender=tender)
    return render(request, "commissioning/public/tender_detail.html", {
        "tender": tender, "presenter": TenderPresenter(tender, request.user),
        "lots": tender.lots.all(), "cpv_codes": tender.cpv_codes.order_by("-is_main", "code"),
        "documents": [document_link(tender, d) for d in documents],
        "clarifications": selectors.answered_clarifications(tender=tender),
        "interested": selectors.has_registered_interest(user=request.user, tender=tender),
        "reservation": supplier_status(tender=tender, organisation=current_organisation(request)),
    })


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
