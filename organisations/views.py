"""Organisation pages: registration, profile, members and invitations, verification, switching."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.documents import document_response
from core.forms.errors import attach_errors
from organisations import selectors, services
from organisations.filters import VerificationFilter
from organisations.forms import (
    AuthorityForm,
    AuthorityTypeForm,
    InvitationForm,
    OrganisationForm,
    RejectForm,
    SwitchOrganisationForm,
)
from organisations.middleware import SESSION_KEY
from organisations.presenters import OrganisationPresenter


@login_required
def register(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(
                actor=request.user, data=form.profile_data(),
                governing_document_file=form.cleaned_data.get("governing_document"))
        except ValidationError as error:
            attach_errors(form, error, default_field="governing_document")
        else:
            request.session[SESSION_KEY] = organisation.pk
            return redirect("organisations:registered", pk=organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


@login_required
def registered(request, pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return render(request, "organisations/registered.html", {"organisation": organisation})


@login_required
def detail(request, pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    return render(request, "organisations/detail.html", {
        "organisation": organisation,
        "presenter": OrganisationPresenter(organisation, request.user),
    })


@login_required
def edit(request, pk: int):
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=pk, perm="organisations.change_organisation")
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, data=form.profile_data(),
                governing_document_file=form.cleaned_data.get("governing_document"))
        except ValidationError as error:
            attach_errors(form, error, default_field="governing_document")
        else:
            messages.success(request, "Organisation profile saved.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
def authority_type(request, pk: int):
    organisation = selectors.authority_get_for_type_change(user=request.user, pk=pk)
    form = AuthorityTypeForm(request.POST or None,
                             initial={"authority_type": organisation.authority_type})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_authority_type_set(
                actor=request.user, organisation=organisation,
                authority_type=form.cleaned_data["authority_type"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Authority type saved.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/authority_type.html",
                  {"form": form, "organisation": organisation})


@login_required
@require_POST
def resubmit(request, pk: int):
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=pk, perm="organisations.change_organisation")
    try:
        services.organisation_resubmit(actor=request.user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your organisation was sent for verification again.")
    return redirect("organisations:detail", pk=organisation.pk)


@login_required
def governing_document(request, pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    if organisation.governing_document is None:
        raise PermissionDenied
    return document_response(organisation.governing_document)


@login_required
def members(request, pk: int):
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=pk, perm="organisations.view_members")
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, organisation=organisation,
                                                    **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("organisations:members", pk=organisation.pk)
    return render(request, "organisations/members.html", {
        "organisation": organisation, "form": form,
        "members": selectors.members_of(organisation=organisation),
        "invitations": selectors.open_invitations(organisation=organisation),
        "can_manage": request.user.has_perm("organisations.invite_member", organisation),
    })


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    invitation = selectors.invitation_of(organisation=organisation, pk=invitation_pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("organisations:members", pk=organisation.pk)


@login_required
@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    membership = selectors.membership_of(organisation=organisation, pk=membership_pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user} no longer has that role.")
    return redirect("organisations:members", pk=organisation.pk)


def invitation(request, token: str):
    invitation = selectors.invitation_get_by_token(token=token)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, f"You joined {membership.organisation.name}.")
            return redirect("core:dashboard")
    return render(request, "organisations/invitation.html", {"invitation": invitation})


@login_required
def switch(request):
    organisations = request.user_organisations
    form = SwitchOrganisationForm(request.POST or None, organisations=organisations,
                                  initial={"organisation": getattr(
                                      request.current_organisation, "pk", None)})
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["organisation"]
        messages.success(request, "You switched organisation.")
        return redirect("core:dashboard")
    return render(request, "organisations/switch.html", {"form": form})


@login_required
def verification_queue(request):
    if not request.user.is_platform_admin:
        raise PermissionDenied
    filterset = VerificationFilter(
        request.GET or {"verification_status": "pending"},
        queryset=selectors.verification_queue(user=request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "organisations/verification_queue.html",
                  {"filter": filterset, "page_obj": page})


@login_required
def verification_detail(request, pk: int):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    if not request.user.is_platform_admin:
        raise PermissionDenied
    form = RejectForm(request.POST or None)
    if request.method == "POST" and _decide(request, organisation, form):
        return redirect("organisations:verification_queue")
    return render(request, "organisations/verification_detail.html", {
        "organisation": organisation, "form": form,
        "presenter": OrganisationPresenter(organisation, request.user),
    })


def _decide(request, organisation, form) -> bool:
    try:
        if request.POST.get("decision") == "verify":
            services.organisation_verify(actor=request.user, organisation=organisation)
            messages.success(request, f"{organisation.name} is verified.")
            return True
        if form.is_valid():
            services.organisation_reject(actor=request.user, organisation=organisation,
                                         reason=form.cleaned_data["reason"])
            messages.success(request, f"{organisation.name} was rejected. We told them why.")
            return True
    except ValidationError as error:
        attach_errors(form, error)
    return False


@login_required
def authority_create(request):
    if not request.user.is_platform_admin:
        raise PermissionDenied
    form = AuthorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        admin_email = data.pop("admin_email")
        try:
            authority = services.authority_create(actor=request.user, data=data,
                                                  admin_email=admin_email)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"{authority.name} added. We invited {admin_email}.")
            return redirect("organisations:detail", pk=authority.pk)
    return render(request, "organisations/authority_form.html", {"form": form})
