"""Fixtures shared by the commissioning tests (tenders, bids, evaluation, awards, OCDS)."""

from __future__ import annotations

import pytest

from organisations.models import Role
from tests import factories
from tests.commissioning import factories as cf


@pytest.fixture
def project(authority, commissioner):
    return cf.ProjectFactory(authority=authority, created_by=commissioner)


@pytest.fixture
def draft_tender(authority, commissioner):
    """A draft tender of `authority` that meets every publication rule."""
    return cf.publishable_tender(authority=authority, created_by=commissioner)


@pytest.fixture
def published_tender(authority, commissioner):
    """A tender open for bids: deadline in 30 days, one question, one required slot."""
    tender = cf.TenderFactory(authority=authority, created_by=commissioner)
    cf.TenderCpvFactory(tender=tender)
    cf.TenderQuestionFactory(tender=tender, number=1)
    cf.DocumentSlotFactory(tender=tender)
    return tender


@pytest.fixture
def tender(published_tender):
    return published_tender


@pytest.fixture
def evaluator(authority, published_tender):
    """An authority evaluator on the panel of `published_tender`."""
    user = factories.with_totp(factories.member(authority, Role.EVALUATOR))
    cf.TenderEvaluatorFactory(tender=published_tender, user=user)
    return user


@pytest.fixture
def other_authority(db):
    return factories.AuthorityFactory()


@pytest.fixture
def other_commissioner(other_authority):
    return factories.with_totp(factories.member(other_authority, Role.COMMISSIONER))


@pytest.fixture
def draft_bid(published_tender, provider, bid_writer):
    return cf.BidFactory(tender=published_tender, organisation=provider, created_by=bid_writer)


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT
