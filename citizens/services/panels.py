"""Panels, appointments, phases, materials and moderated threads."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from citizens import rules as panel_rules
from citizens.models import Material, Panel, PanelMembership, PanelRole, Post, Thread
from citizens.rules import can
from citizens.workflows import PANEL
from core.audit import audit_record
from core.documents import document_store
from core.notifications import notify
from core.workflows import transition
from organisations.models import Organisation

APPOINTED_ROLES = (PanelRole.FACILITATOR, PanelRole.OFFICER, PanelRole.OBSERVER)
PANEL_FIELDS = ("title", "purpose", "remit", "feeds_decision", "size", "term_start", "term_end",
                "is_young", "registration_closes_on", "retention_days", "session_quorum",
                "honorarium_per_session", "expenses_cap_per_session")


def _require(actor, perm: str, obj, message: str) -> None:
    if not can(actor, perm, obj):
        raise PermissionDenied(message)


def _validate_panel(data: dict[str, Any]) -> None:
    errors = {}
    if data["term_end"] <= data["term_start"]:
        errors["term_end"] = "The term must end after it starts."
    if not 3 <= data["size"] <= 200:
        errors["size"] = "A panel has between 3 and 200 seats."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def panel_create(*, actor, authority: Organisation, data: dict[str, Any]) -> Panel:
    """Create a panel for an authority; the creator becomes its commissioning officer."""
    from organisations.rules import has_role

    if not has_role(*panel_rules.STAFF_ROLES).test(actor, authority):
        raise PermissionDenied("Only the authority's commissioners and admins create panels.")
    _validate_panel(data)
    panel = Panel.objects.create(authority=authority, created_by=actor,
                                 **{k: data[k] for k in PANEL_FIELDS if k in data})
    PanelMembership.objects.create(panel=panel, user=actor, role=PanelRole.OFFICER,
                                   email=actor.email)
    audit_record(actor=actor, action="citizens.panel_create", obj=panel,
                 summary=f"Panel “{panel.title}” created", organisation_id=authority.pk)
    panel_rules.forget_roles(actor)
    return panel


@transaction.atomic
def panel_update(*, actor, panel: Panel, data: dict[str, Any]) -> Panel:
    _require(actor, "citizens.manage_panel", panel, "You cannot change this panel.")
    _validate_panel(data)
    before = {k: str(getattr(panel, k)) for k in PANEL_FIELDS if k in data}
    for key in PANEL_FIELDS:
        if key in data:
            setattr(panel, key, data[key])
    panel.save()
    audit_record(actor=actor, action="citizens.panel_update", obj=panel,
                 summary=f"Panel “{panel.title}” changed", organisation_id=panel.authority_id,
                 changes={"before": before})
    return panel


@transaction.atomic
def panel_set_registration(*, actor, panel: Panel, open_: bool) -> Panel:
    _require(actor, "citizens.manage_panel", panel, "You cannot change this panel.")
    if open_ and not panel.quotas.exists():
        raise ValidationError("Set the panel's stratification features and quotas first: the "
                              "registration page asks for them.")
    if open_ and panel.phase != "recruitment":
        raise ValidationError("Registration is only open while the panel is recruiting.")
    panel.registration_open = open_
    panel.save(update_fields=["registration_open", "updated_at"])
    audit_record(actor=actor, action="citizens.registration_" + ("open" if open_ else "close"),
                 obj=panel, summary="Pool registration " + ("opened" if open_ else "closed"),
                 organisation_id=panel.authority_id)
    return panel


@transaction.atomic
def panel_move(*, actor, panel: Panel, name: str, reason: str = "") -> Panel:
    """Move the panel to its next phase through the phase workflow; tell everyone on it."""
    transition(obj=panel, workflow=PANEL, name=name, actor=actor, reason=reason,
               organisation_id=panel.authority_id)
    members = [m.user for m in panel.memberships.filter(
        status=PanelMembership.Status.ACTIVE, user__isnull=False).select_related("user")]
    phase = PANEL.state(panel.phase).staff_label.lower()
    notify(recipients=members, subject=f"{panel.title}: the {phase} phase has started",
           body=f"The panel “{panel.title}” is now in its {phase} phase.",
           url=f"/panels/{panel.pk}/space/")
    return panel


@transaction.atomic
def membership_appoint(*, actor, panel: Panel, user, role: str) -> PanelMembership:
    """Appoint a facilitator, officer or observer (members come from the lottery)."""
    _require(actor, "citizens.manage_panel", panel, "You cannot appoint people to this panel.")
    if role not in APPOINTED_ROLES:
        raise ValidationError("Members and young members join through the selection.")
    membership, created = PanelMembership.objects.get_or_create(
        panel=panel, user=user, role=role, defaults={"email": user.email})
    if not created and membership.status != PanelMembership.Status.ACTIVE:
        membership.status = PanelMembership.Status.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="citizens.membership_appoint", obj=membership,
                 summary=f"{user.email} appointed {membership.get_role_display().lower()}",
                 organisation_id=panel.authority_id)
    notify(recipients=[user], subject=f"You are now {membership.get_role_display().lower()} "
           f"of {panel.title}", body=f"You have been appointed to the panel “{panel.title}”.",
           url=f"/panels/{panel.pk}/space/")
    panel_rules.forget_roles(user)
    return membership


@transaction.atomic
def membership_withdraw(*, actor, membership: PanelMembership, reason: str) -> PanelMembership:
    """A member leaves (or is stood down); their seat can be filled by a replacement draw."""
    panel = membership.panel
    if membership.user_id != actor.pk:
        _require(actor, "citizens.manage_panel", panel, "You cannot stand this person down.")
    if membership.status == PanelMembership.Status.WITHDRAWN:
        raise ValidationError("This place has already been given up.")
    membership.status = PanelMembership.Status.WITHDRAWN
    membership.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="citizens.membership_withdraw", obj=membership,
                 summary="Member withdrew from the panel", changes={"reason": reason},
                 organisation_id=panel.authority_id)
    if membership.user:
        panel_rules.forget_roles(membership.user)
    return membership


@transaction.atomic
def material_add(*, actor, panel: Panel, title: str, summary: str, easy_read_summary: str = "",
                 upload=None, session=None) -> Material:
    """Add reading for the panel; an uploaded file is checked and stored as a Document."""
    _require(actor, "citizens.facilitate", panel, "Only facilitators and officers add materials.")
    if panel.is_young and not easy_read_summary.strip():
        raise ValidationError({"easy_read_summary": "Young commissioners' panels need an "
                                                    "easy-read summary of every material."})
    if session is not None and session.panel_id != panel.pk:
        raise ValidationError("That session belongs to another panel.")
    document = document_store(uploaded_file=upload, actor=actor) if upload else None
    material = Material.objects.create(panel=panel, title=title, summary=summary,
                                       easy_read_summary=easy_read_summary, document=document,
                                       session=session, added_by=actor)
    audit_record(actor=actor, action="citizens.material_add", obj=material,
                 summary=f"Material “{title}” added"
                         + (f" to the session “{session.title}”" if session else ""),
                 organisation_id=panel.authority_id)
    return material


def _membership_of(actor, panel: Panel) -> PanelMembership | None:
    return panel.memberships.filter(user=actor, status=PanelMembership.Status.ACTIVE).order_by(
        "role").first()


@transaction.atomic
def thread_start(*, actor, panel: Panel, title: str, body: str) -> Thread:
    _require(actor, "citizens.comment", panel,
             "Discussion is not open to you in the panel's current phase.")
    thread = Thread.objects.create(panel=panel, title=title, started_by=actor)
    post_add(actor=actor, thread=thread, body=body)
    return thread


@transaction.atomic
def post_add(*, actor, thread: Thread, body: str) -> Post:
    """Add a post. Young panels hold every post from a young member for moderation."""
    panel = thread.panel
    _require(actor, "citizens.comment", panel,
             "Discussion is not open to you in the panel's current phase.")
    if thread.is_closed:
        raise ValidationError({"body": "This thread is closed."})
    if not body.strip():
        raise ValidationError({"body": "Write your message."})
    membership = _membership_of(actor, panel)
    held = panel.is_young and not can(actor, "citizens.moderate", panel)
    post = Post.objects.create(thread=thread, author=actor, author_membership=membership,
                               body=body.strip(),
                               status=Post.Status.PENDING if held else Post.Status.PUBLISHED)
    audit_record(actor=actor, action="citizens.post_add", obj=post,
                 summary=f"Post in “{thread.title}”" + (" held for moderation" if held else ""),
                 organisation_id=panel.authority_id)
    return post


@transaction.atomic
def post_moderate(*, actor, post: Post, publish: bool, note: str = "") -> Post:
    panel = post.thread.panel
    _require(actor, "citizens.moderate", panel, "Only facilitators moderate posts.")
    if not publish and not note.strip():
        raise ValidationError({"note": "Say why the post is hidden."})
    post.status = Post.Status.PUBLISHED if publish else Post.Status.HIDDEN
    post.moderated_by, post.moderation_note = actor, note.strip()[:300]
    post.save(update_fields=["status", "moderated_by", "moderation_note", "updated_at"])
    audit_record(actor=actor, action="citizens.post_moderate", obj=post,
                 summary=f"Post {'published' if publish else 'hidden'}",
                 changes={"note": note.strip()}, organisation_id=panel.authority_id)
    return post

