"""Panels, memberships, the pool's aggregate figures and what is asked of a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from citizens.models import (
    Decision,
    Material,
    Panel,
    PanelMembership,
    PanelRole,
    PanelSession,
    PoolEntry,
    Post,
    Thread,
    VoterRollEntry,
)
from citizens.models.panels import VOTING_ROLES
from citizens.rules import STAFF_ROLES, can
from organisations.selectors import organisation_ids_with_role


def public_panels() -> QuerySet[Panel]:
    """Every panel (the list of panels and their remits is public), newest first."""
    return Panel.objects.select_related("authority").order_by("-created_at", "-id")


def panel_get_public(*, pk: int) -> Panel:
    panel = Panel.objects.select_related("authority").filter(pk=pk).first()
    if panel is None:
        raise Http404("No such panel.")
    return panel


def panel_get_for_user(*, user, pk: int, perm: str = "citizens.view_panel_space") -> Panel:
    """The panel if the user may see its closed space (or do ``perm``): else 404 / 403."""
    panel = panel_get_public(pk=pk)
    if not can(user, perm, panel):
        if not can(user, "citizens.view_panel_space", panel):
            raise Http404("No such panel.")
        raise PermissionDenied("You cannot do that on this panel.")
    return panel


def managed_panels(*, user) -> QuerySet[Panel]:
    """Panels the user runs: as facilitator or officer, or as staff of the authority."""
    if not user.is_authenticated:
        return Panel.objects.none()
    authorities = organisation_ids_with_role(user=user, roles=STAFF_ROLES)
    runs = PanelMembership.objects.filter(
        panel=OuterRef("pk"), user=user, status=PanelMembership.Status.ACTIVE,
        role__in=[PanelRole.FACILITATOR, PanelRole.OFFICER])
    return public_panels().filter(Q(authority_id__in=authorities) | Q(Exists(runs)))


def authorities_for_new_panel(*, user):
    from organisations.models import Organisation

    ids = organisation_ids_with_role(user=user, roles=STAFF_ROLES)
    return Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.AUTHORITY)


def my_memberships(*, user) -> QuerySet[PanelMembership]:
    if not user.is_authenticated:
        return PanelMembership.objects.none()
    return PanelMembership.objects.filter(
        user=user, status__in=[PanelMembership.Status.ACTIVE,
                               PanelMembership.Status.AWAITING_GUARDIAN])


@dataclass(frozen=True)
class Task:
    title: str
    due: datetime | None
    url: str
    panel: str
    panel_id: int


def my_tasks(*, user) -> list[Task]:
    """What is asked of the person and by when: votes to cast, sessions to attend."""
    if not user.is_authenticated:
        return []
    panels = my_memberships(user=user).filter(
        status=PanelMembership.Status.ACTIVE).values("panel_id")
    votes = VoterRollEntry.objects.filter(
        user=user, has_voted=False, decision__status=Decision.Status.OPEN,
    ).select_related("decision__panel")
    sessions = PanelSession.objects.filter(
        panel_id__in=panels, starts_at__gte=timezone.now()).select_related("panel")[:5]
    tasks = [Task(f"Vote: {e.decision.title}", e.decision.closes_at,
                  f"/panels/decisions/{e.decision_id}/vote/", e.decision.panel.title,
                  e.decision.panel_id)
             for e in votes]
    tasks += [Task(f"Attend: {s.title}", s.starts_at, f"/panels/{s.panel_id}/sessions/{s.pk}/",
                   s.panel.title, s.panel_id) for s in sessions]
    far = timezone.now().replace(year=9999)
    return sorted(tasks, key=lambda t: t.due or far)


def space_summary(*, panel: Panel, user) -> dict:
    """What the panel space home shows: materials, threads, sessions and open decisions."""
    is_moderator = can(user, "citizens.moderate", panel)
    visible_posts = Count("posts", filter=Q(posts__status=Post.Status.PUBLISHED))
    decisions = Decision.objects.filter(panel=panel).order_by("-created_at")
    if not can(user, "citizens.manage_decision", panel):
        decisions = decisions.exclude(status=Decision.Status.DRAFT)
    return {
        "materials": Material.objects.filter(panel=panel).select_related("document")[:10],
        "threads": Thread.objects.filter(panel=panel).annotate(post_count=visible_posts)[:10],
        "sessions": PanelSession.objects.filter(panel=panel)[:10],
        "decisions": decisions[:10],
        "pending_posts": Post.objects.filter(thread__panel=panel,
                                             status=Post.Status.PENDING).count()
        if is_moderator else 0,
    }


def members_of(*, panel: Panel) -> QuerySet[PanelMembership]:
    return panel.memberships.select_related("user", "pool_entry").order_by("role", "id")


def invited_count(*, panel: Panel) -> int:
    """Selected people who have not answered their invitation yet."""
    return panel.memberships.filter(status=PanelMembership.Status.INVITED).count()


def pool_figures(*, panel: Panel) -> dict:
    """Aggregates only: sizes and the households shared by more than one volunteer."""
    entries = PoolEntry.objects.filter(panel=panel)
    shared = entries.values("household_key").annotate(n=Count("id")).filter(n__gt=1)
    return {"total": entries.count(),
            "in_pool": entries.filter(status=PoolEntry.Status.IN_POOL).count(),
            "imported": entries.filter(source=PoolEntry.Source.IMPORT).count(),
            "shared_households": shared.count(),
            "people_in_shared_households": sum(row["n"] for row in shared)}


def thread_get_for_user(*, user, panel: Panel, pk: int) -> Thread:
    thread = Thread.objects.filter(panel=panel, pk=pk).first()
    if thread is None:
        raise Http404("No such thread.")
    return thread


def thread_posts(*, thread: Thread, user) -> QuerySet[Post]:
    """Published posts, plus the reader's own held posts; moderators see everything."""
    posts = thread.posts.select_related("author", "author_membership__user")
    if can(user, "citizens.moderate", thread.panel):
        return posts
    return posts.filter(Q(status=Post.Status.PUBLISHED) | Q(author=user,
                                                            status=Post.Status.PENDING))


def moderation_queue(*, panel: Panel) -> QuerySet[Post]:
    return Post.objects.filter(thread__panel=panel, status=Post.Status.PENDING).select_related(
        "thread", "author_membership")


def voting_members(*, panel: Panel) -> QuerySet[PanelMembership]:
    return panel.memberships.filter(role__in=VOTING_ROLES,
                                    status=PanelMembership.Status.ACTIVE).select_related("user")


def pending_post(*, panel: Panel, pk: int) -> Post | None:
    return moderation_queue(panel=panel).filter(pk=pk).first()


def material_get(*, panel: Panel, pk: int) -> Material:
    material = Material.objects.filter(panel=panel, pk=pk, document__isnull=False).select_related(
        "document").first()
    if material is None:
        raise Http404("No such material.")
    return material


def account_by_email(*, email: str):
    from accounts.models import User

    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()
