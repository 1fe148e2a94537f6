"""Role fixtures shared by every test package."""

import uuid

import pytest
from django.test.client import ClientMixin

from accounts.policy import SECOND_FACTOR_SESSION_KEY, has_totp
from organisations.models import Role
from tests import factories, summary

_django_login = ClientMixin._login


def _login_with_every_factor_held(self, user, backend=None):
    """`client.force_login` stands for a completed sign-in: a person who holds an authenticator
    app would have entered its code, so the session records that, as a real sign-in does.
    Tests of the second-factor policy itself log in without it (`login_password_only`)."""
    _django_login(self, user, backend)
    if has_totp(user):
        session = self.session
        session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)
        session.save()


ClientMixin._login = _login_with_every_factor_held


@pytest.fixture
def provider(db):
    return factories.OrganisationFactory()


@pytest.fixture
def authority(db):
    return factories.AuthorityFactory()


@pytest.fixture
def provider_admin(provider):
    return factories.member(provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def bid_writer(provider):
    return factories.member(provider, Role.BID_WRITER)


@pytest.fixture
def authority_admin(authority):
    return factories.with_totp(factories.member(authority, Role.AUTHORITY_ADMIN))


@pytest.fixture
def commissioner(authority):
    return factories.with_totp(factories.member(authority, Role.COMMISSIONER))


@pytest.fixture
def platform_admin(db):
    return factories.with_totp(factories.PlatformAdminFactory())


@pytest.fixture
def citizen(db):
    return factories.CitizenFactory()


@pytest.fixture(autouse=True)
def _own_audit_checkpoint_file(settings, tmp_path_factory):
    """Each test's checkpoints go to a file of its own: its database is rolled back after it."""
    folder = tmp_path_factory.getbasetemp() / "audit-checkpoints"
    folder.mkdir(exist_ok=True)
    settings.AUDIT_CHECKPOINT_PATH = folder / f"{uuid.uuid4().hex}.jsonl"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit counters included).

    On Redis only this run's keys are removed (the key prefix is unique per run), never the
    whole database, which a developer's broker may share.
    """
    clear_cache()


def clear_cache() -> None:
    """Empty this run's cache entries (on Redis only ours: the key prefix is per run)."""
    from django.core.cache import cache

    from core import pagecache

    pagecache.memory.clear()
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


# The end-of-run summary (tests/summary.py), also when the tests ran in pytest-xdist workers.
def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summary"] = summary.dumps()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    text = getattr(node, "workeroutput", {}).get("summary")
    if text:
        summary.merge(text)


def pytest_terminal_summary(terminalreporter):
    summary.write(terminalreporter)


LONGEST_FIRST = (
    # every URL as every role and every form as every person, a class per group of people
    "tests/fuzz/test_no_server_errors.py",
    # the crawls of every URL pattern for sealed and opened bids (two classes after opening)
    "tests/commissioning/test_sealed_guarantees.py",
)


def pytest_collection_modifyitems(items):
    """The longest tests first, so that with `pytest -n` (and `--no-loadscope-reorder`) each
    fuzz group starts at once on a worker of its own, the long crawls follow, and the workers
    share everything else meanwhile."""
    def rank(item) -> int:
        path = str(item.path)
        return next((i for i, long in enumerate(LONGEST_FIRST) if long in path),
                    len(LONGEST_FIRST))

    items.sort(key=rank)
