"""Small helpers shared by the commissioning views."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None) -> Page:
    """One page of `queryset`; `count`, when already known, saves counting the rows again."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # overrides the cached_property
    return paginator.get_page(request.GET.get("page"))
