"""Every report draws a chart of the figures its table shows."""

import re

import pytest
from django.urls import reverse

from reports.presenters import REPORTS

pytestmark = pytest.mark.django_db


def bar_texts(html: str) -> list[str]:
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    return re.findall(r'<text x="[\d.]+%" [^>]*>([^<]*)</text>', svg)


def table_cells(html: str) -> set[str]:
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    return {cell.strip() for cell in re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", table)}


@pytest.mark.parametrize("slug", sorted(REPORTS))
def test_each_report_charts_figures_from_its_own_table(client, platform_admin, dataset, slug):
    client.force_login(platform_admin)
    html = client.get(reverse("reports:report", args=[slug])).content.decode()
    assert html.index('role="img"') < html.index("<table")
    figures = bar_texts(html)
    assert figures, "the chart has no bars"
    cells = table_cells(html)
    for figure in figures:
        assert figure.removesuffix(" days") in cells
    assert 'style="' not in html


def test_an_empty_report_has_no_chart(client, commissioner):
    client.force_login(commissioner)
    html = client.get(reverse("reports:report", args=["pipeline"])).content.decode()
    assert "nothing to report" in html and "<svg role" not in html
