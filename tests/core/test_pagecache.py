"""The versioned page cache: kept until the scope changes, bounded, never stale without Redis."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import pagecache


@pytest.mark.django_db
def test_a_bump_forgets_everything_kept_for_the_scope():
    pagecache.register_scope("test-scope")
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert pagecache.remember("test-scope", "n", compute) == 1
    assert pagecache.remember("test-scope", "n", compute) == 1
    pagecache.bump("test-scope")
    assert pagecache.remember("test-scope", "n", compute) == 2


def test_a_version_lives_until_the_scope_says_its_pages_change():
    soon = timezone.now() + timedelta(seconds=30)
    pagecache.register_scope("soon-scope", expires_at=lambda: soon)
    pagecache.register_scope("never-scope", expires_at=lambda: None)
    assert 29 <= pagecache._lifetime("soon-scope") <= 31
    assert pagecache._lifetime("never-scope") == pagecache.MAX_SECONDS
    pagecache.register_scope("past-scope", expires_at=lambda: timezone.now() - timedelta(1))
    assert pagecache._lifetime("past-scope") == pagecache.MIN_SECONDS


def test_memory_is_bounded_and_keeps_the_most_recently_used():
    memory = pagecache._Memory(size=3)
    for key in "abc":
        memory.set(key, key.upper())
    assert memory.get("a") == "A"  # now the most recent
    memory.set("d", "D")
    assert memory.get("b") is None and memory.get("a") == "A" and len(memory.items) == 3


def test_without_a_shared_cache_nothing_is_kept(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    pagecache.register_scope("test-scope")
    assert pagecache.version("test-scope") is None
    values = iter([1, 2])
    assert pagecache.remember("test-scope", "n", lambda: next(values)) == 1
    assert pagecache.remember("test-scope", "n", lambda: next(values)) == 2


def test_switched_off_nothing_is_kept(settings):
    settings.PAGE_CACHE_ENABLED = False
    assert pagecache.version("test-scope") is None
