"""A small, explicit workflow engine: declared transition tables plus one `transition` service.

A domain model declares its lifecycle as a `Workflow` (states, transitions, who may trigger each,
guard functions). `transition()` validates the move, updates the model's status column, stores
an immutable `StatusChange`, writes the audit entry and schedules side effects after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from core.audit import audit_record
from core.locks import lock_exclusive
from core.models import StatusChange

# A permission check: (actor, obj) -> bool. django-rules predicates fit this shape.
Allowed = Callable[[Any, Any], bool]
# A guard: (obj) -> None, or a message a person understands when the move is not possible yet.
Guard = Callable[[Any], str | None]
# A side effect run after commit: (obj, status_change) -> None.
Effect = Callable[[Any, StatusChange], None]


@dataclass(frozen=True)
class State:
    value: str
    staff_label: str
    public_label: str
    colour: str = "grey"  # GOV.UK tag colour


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    allowed: Allowed
    guards: tuple[Guard, ...] = ()
    requires_reason: bool = False
    effects: tuple[Effect, ...] = ()


@dataclass
class Workflow:
    name: str
    states: Sequence[State]
    transitions: Sequence[Transition]
    field_name: str = "status"
    _by_value: dict[str, State] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_value = {state.value: state for state in self.states}
        for t in self.transitions:
            unknown = {t.target, *t.sources} - self._by_value.keys()
            if unknown:
                raise ValueError(f"{self.name}.{t.name} names unknown states {sorted(unknown)}")

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(state.value, state.staff_label) for state in self.states]

    def state(self, value: str) -> State:
        return self._by_value[value]

    def current(self, obj: Any) -> str:
        return getattr(obj, self.field_name)

    def find(self, obj: Any, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name and self.current(obj) in t.sources:
                return t
        raise ValidationError(
            f"You cannot {name.replace('_', ' ')} this while it is "
            f"{self.state(self.current(obj)).staff_label.lower()}."
        )

    def available(self, obj: Any, actor: Any) -> list[Transition]:
        """Transitions the actor may trigger now (guards not yet evaluated)."""
        current = self.current(obj)
        return [t for t in self.transitions if current in t.sources and allows(t, actor, obj)]

    def blockers(self, obj: Any, t: Transition) -> list[str]:
        return [message for guard in t.guards if (message := guard(obj))]


def allows(t: Transition, actor: Any, obj: Any) -> bool:
    # django-rules predicates are called through .test(), which adapts to their arity.
    check = getattr(t.allowed, "test", t.allowed)
    return bool(check(actor, obj))


def _lock(obj: models.Model) -> models.Model:
    # Exclusive (core.locks): waits for, and keeps out, work that holds the object's shared lock.
    return lock_exclusive(type(obj)._default_manager.all(), obj.pk)


@transaction.atomic
def transition(
    *,
    obj: models.Model,
    workflow: Workflow,
    name: str,
    actor: Any,
    reason: str = "",
    organisation_id: int | None = None,
) -> StatusChange:
    """Move `obj` along `workflow` by the transition called `name`."""
    locked = _lock(obj)
    t = workflow.find(locked, name)
    if not allows(t, actor, locked):
        raise PermissionDenied(f"You are not allowed to {t.label.lower()}.")
    problems = workflow.blockers(locked, t)
    if t.requires_reason and not reason.strip():
        problems.append("Give a reason.")
    if problems:
        raise ValidationError(problems)
    source = workflow.current(locked)
    setattr(locked, workflow.field_name, t.target)
    locked.save(update_fields=[workflow.field_name, *_updated_at(locked)])
    setattr(obj, workflow.field_name, t.target)
    change = StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(locked),
        object_id=locked.pk,
        workflow=workflow.name,
        from_status=source,
        to_status=t.target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=f"{workflow.name}.{t.name}",
        obj=locked,
        summary=f"{t.label}: {workflow.state(source).staff_label} → "
        f"{workflow.state(t.target).staff_label}",
        changes={"status": [source, t.target], "reason": reason.strip()},
        organisation_id=organisation_id,
    )
    for effect in t.effects:
        transaction.on_commit(lambda effect=effect: effect(obj, change))
    return change


def _updated_at(obj: models.Model) -> Iterable[str]:
    return ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.fields) else []


def history(obj: models.Model) -> models.QuerySet[StatusChange]:
    """The status history of `obj`, oldest first, with actors loaded."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
