"""Small helpers shared by the commissioning views."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
