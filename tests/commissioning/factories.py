"""Factories for commissioning data, shared by every commissioning test package.

Tenders default to a published, open state (deadline in the future) unless `status="draft"`
is given; use `draft_tender()` / `published_tender()` when the intent should read clearly.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from commissioning.models import (
    AwardCriterion,
    Bid,
    CitizenComment,
    Clarification,
    ConflictsAssessment,
    DocumentSlot,
    EngagementEvent,
    Lot,
    MarketQuestion,
    MarketResponse,
    Project,
    ScaleDescriptor,
    SupplierInterest,
    Tender,
    TenderCpv,
    TenderDocument,
    TenderEvaluator,
    TenderQuestion,
)
from core.models import Document
from tests.factories import AuthorityFactory, OrganisationFactory, UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Community support service {n}")
    need = "People leaving hospital need support at home for the first six weeks."
    outcomes = "Fewer readmissions; people feel safe and connected at home."
    budget = Decimal("250000.00")
    status = Project.Status.ENGAGEMENT
    is_public = True
    created_by = factory.SubFactory(UserFactory)


class EngagementEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementEvent

    project = factory.SubFactory(ProjectFactory)
    title = "Market engagement workshop"
    description = "Come and help us shape the service."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    location = "Online"


class MarketQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketQuestion

    project = factory.SubFactory(ProjectFactory)
    text = "How could the service reach people who do not use the internet?"
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))


class MarketResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketResponse

    question = factory.SubFactory(MarketQuestionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    text = "Through GP surgeries and community centres."


class CitizenCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenComment

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory("tests.factories.CitizenFactory")
    text = "Please include evening visits."


class TenderFactory(factory.django.DjangoModelFactory):
    """A published tender open for bids: deadline 30 days ahead, questions close in 20."""

    class Meta:
        model = Tender
        skip_postgeneration_save = True

    authority = factory.SubFactory(AuthorityFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    title = factory.Sequence(lambda n: f"Home support service {n}")
    summary = "Support at home for people leaving hospital."
    description = "A six-week reablement service across the borough."
    procedure = Tender.Procedure.OPEN
    contract_type = Tender.ContractType.SERVICES
    estimated_value_ex_vat = Decimal("400000.00")
    estimated_value_inc_vat = Decimal("480000.00")
    max_term_months = 36
    suitable_for_sme = True
    suitable_for_vcse = True
    status = Tender.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    questions_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    above_threshold = True
    threshold_applied = Decimal("214904.00")
    created_by = factory.SubFactory(UserFactory)
    ocid = factory.LazyAttribute(lambda o: "")

    @factory.post_generation
    def with_ocid(obj, create, extracted, **kwargs):
        if create and obj.status != Tender.Status.DRAFT and not obj.ocid:
            obj.ocid = f"{settings.OCDS_OCID_PREFIX}-{obj.pk}"
            Tender.objects.filter(pk=obj.pk).update(ocid=obj.ocid)


class DraftTenderFactory(TenderFactory):
    status = Tender.Status.DRAFT
    published_at = None
    above_threshold = None
    threshold_applied = None


class TenderCpvFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderCpv

    tender = factory.SubFactory(TenderFactory)
    code = "85310000-5"
    is_main = True


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    tender = factory.SubFactory(TenderFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Area {n + 1}")
    description = "One area of the borough."
    estimated_value_ex_vat = Decimal("100000.00")


class DocumentSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSlot

    tender = factory.SubFactory(TenderFactory)
    name = "Method statement"
    guidance = "No more than 10 pages."
    required = True


class TenderQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderQuestion

    tender = factory.SubFactory(TenderFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "How will you recruit and keep local staff?"
    guidance = "Describe your approach and give examples."
    word_limit = 500


class AwardCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCriterion

    tender = factory.SubFactory(TenderFactory)
    kind = AwardCriterion.Kind.QUALITY
    name = "Quality"
    weight = Decimal("60")
    max_score = 100
    order = factory.Sequence(lambda n: n)


class ConflictsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictsAssessment

    tender = factory.SubFactory(TenderFactory)
    summary = "No conflicts identified among the commissioning team."
    mitigations = "Declarations to be renewed at evaluation."
    prepared_by = factory.SubFactory(UserFactory)
    version = 1


class DocumentFactory(factory.django.DjangoModelFactory):
    """A stored (unencrypted) PDF document row with a tiny file."""

    class Meta:
        model = Document

    file = factory.django.FileField(filename="spec.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "specification.pdf"
    kind = "pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64


class TenderDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderDocument

    tender = factory.SubFactory(TenderFactory)
    document = factory.SubFactory(DocumentFactory)
    title = "Specification"
    published_at = factory.LazyFunction(timezone.now)


class ClarificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clarification

    tender = factory.SubFactory(TenderFactory)
    question = "Can a consortium bid for more than one lot?"
    asked_by = factory.SubFactory(UserFactory)
    asked_by_organisation = factory.SubFactory(OrganisationFactory)


class SupplierInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierInterest

    tender = factory.SubFactory(TenderFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class TenderEvaluatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderEvaluator

    tender = factory.SubFactory(TenderFactory)
    user = factory.SubFactory(UserFactory)
    is_moderator = False


class BidFactory(factory.django.DjangoModelFactory):
    """A draft bid by a provider (no sealed content yet)."""

    class Meta:
        model = Bid

    tender = factory.SubFactory(TenderFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Bid.Status.DRAFT
    created_by = factory.SubFactory(UserFactory)


def publishable_tender(**fields) -> Tender:
    """A DRAFT tender that passes every publication rule (criteria 100%, question, conflicts)."""
    now = timezone.now()
    fields.setdefault("questions_deadline", now + timedelta(days=20))
    fields.setdefault("deadline", now + timedelta(days=30))
    tender = DraftTenderFactory(**fields)
    TenderCpvFactory(tender=tender)
    quality = AwardCriterionFactory(tender=tender, kind=AwardCriterion.Kind.QUALITY,
                                    name="Quality", weight=Decimal("60"))
    AwardCriterionFactory(tender=tender, kind=AwardCriterion.Kind.PRICE, name="Price",
                          weight=Decimal("30"))
    social_value = AwardCriterionFactory(tender=tender, kind=AwardCriterion.Kind.SOCIAL_VALUE,
                                         name="Social value", weight=Decimal("10"))
    for criterion in (quality, social_value):
        ScaleDescriptor.objects.bulk_create(
            ScaleDescriptor(criterion=criterion, score=score, descriptor=f"Score {score}")
            for score in (0, 25, 50, 75, 100))
    TenderQuestionFactory(tender=tender, number=1, criterion=quality)
    ConflictsAssessmentFactory(tender=tender, prepared_by=tender.created_by)
    return tender
