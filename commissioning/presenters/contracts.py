"""The contract record a contract manager works from, and the rows of the contracts list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils import timezone

from commissioning.models import Contract
from commissioning.presenters.tenders import document_link
from commissioning.selectors.awards import contract_history
from commissioning.selectors.tenders import published_documents
from core.templatetags.govuk import gbp, govuk_date
from socialvalue import performance
from socialvalue import selectors as socialvalue_selectors


def contract_state(contract: Contract, today=None) -> dict:
    today = today or timezone.localdate()
    if contract.terminated_at:
        return {"text": "Terminated", "colour": "red"}
    if contract.ends_on < today:
        return {"text": "Ended", "colour": "grey"}
    if contract.starts_on > today:
        return {"text": "Not started", "colour": "blue"}
    return {"text": "Running", "colour": "green"}


def supplier_name(contract: Contract) -> str:
    return contract.award.supplier.name


def contract_rows(contracts) -> list[dict]:
    """Rows of the contracts list, from the page's prefetched rows (no queries)."""
    return [{
        "href": reverse("commissioning:contract", args=[c.pk]),
        "title": f"{c.award.tender.reference} {c.award.tender.title}"
                 + (f", lot {c.award.lot.number}" if c.award.lot_id else ""),
        "supplier": supplier_name(c), "value": gbp(c.value, False),
        "term": f"{govuk_date(c.starts_on)} to {govuk_date(c.ends_on)}",
        "state": contract_state(c)} for c in contracts]


@dataclass
class ContractPresenter:
    contract: Contract
    user: object

    @property
    def tag(self) -> dict:
        return contract_state(self.contract)

    @property
    def rows(self) -> list[dict]:
        c, tender = self.contract, self.contract.award.tender
        rows = [("Supplier", supplier_name(c)), ("Buyer", tender.authority.name),
                ("Tender", f"{tender.reference} {tender.title}")]
        if c.award.lot_id:
            rows.append(("Lot", f"Lot {c.award.lot.number}: {c.award.lot.title}"))
        rows += [("Value", f"{gbp(c.value)} excluding VAT"),
                 ("Starts", govuk_date(c.starts_on)), ("Ends", govuk_date(c.ends_on)),
                 ("Signed", govuk_date(c.signed_at)),
                 ("Contract details notice", f"Published {govuk_date(c.details_published_at)}"
                  if c.details_published_at else "Not published yet: due within 30 days of "
                  "signature")]
        if c.terminated_at:
            rows.append(("Terminated", f"{govuk_date(c.terminated_at)}: "
                                       f"{c.termination_reason}"))
        return [{"key": key, "value": value} for key, value in rows]

    @cached_property
    def ledger(self):
        ledger = self.contract.social_value_ledger
        if ledger is None or not self.user.has_perm("socialvalue.view_ledger", ledger):
            return None
        return ledger

    @cached_property
    def social_value(self) -> list[dict]:
        """Committed against delivered, per commitment, from the delivery ledger."""
        if self.ledger is None:
            return []
        summary = socialvalue_selectors.ledger_summary(ledger=self.ledger)
        return [{"measure": row["measure"].name, "committed": _number(row["committed"]),
                 "delivered": _number(row["delivered"]),
                 "percent": "Nothing due yet" if row["percent"] is None
                 else f"{_number(row['percent'])}%",
                 "rag": {"text": performance.RAG_LABELS[row["rag"]],
                         "colour": performance.RAG_COLOURS[row["rag"]]}}
                for row in summary["commitments"]]

    @property
    def ledger_url(self) -> str:
        return reverse("socialvalue:ledger_detail", args=[self.ledger.pk]) if self.ledger else ""

    @cached_property
    def documents(self) -> list[str]:
        tender = self.contract.award.tender
        return [document_link(tender, d) for d in published_documents(tender=tender)]

    @cached_property
    def history(self) -> list[dict]:
        """What was done, oldest first: the award decision, then changes to the contract."""
        return [{"when": govuk_date(entry.created_at, True),
                 "who": entry.actor_label or "The portal",
                 "what": entry.summary or entry.action,
                 "is_change": entry.object_type == "commissioning.contract"
                 and entry.action != "contract.enter"}
                for entry in contract_history(contract=self.contract)]

    @property
    def changes(self) -> list[dict]:
        return [row for row in self.history if row["is_change"]]


def _number(value) -> str:
    return f"{value.normalize():f}"
