"""Server-rendered SVG bar charts: scaled to the largest figure, safe under the CSP."""

from decimal import Decimal

from django.template.loader import render_to_string

from core.charts import BLUE, GREEN, Bar, Group, Series, bar_chart, legend

SERIES = [Series("committed", BLUE), Series("delivered", GREEN)]


def test_bars_are_scaled_to_the_largest_figure_and_leave_room_for_it():
    chart = bar_chart(series=SERIES, groups=[
        Group("Jobs", [Bar(Decimal("200"), "£200"), Bar(Decimal("50"), "£50")]),
        Group("Training", [Bar(100, "£100"), Bar(None, "–")]),
    ])
    widths = [[bar["width"] for bar in group["bars"]] for group in chart["groups"]]
    assert widths == [["60.0%", "15.0%"], ["30.0%", "0.0%"]]
    assert chart["groups"][0]["bars"][0]["text_x"] == "61.0%"
    tops = [bar["y"] for group in chart["groups"] for bar in group["bars"]]
    assert tops == sorted(tops) and len(set(tops)) == 4  # nothing drawn on top of anything
    assert chart["height"] > tops[-1]


def test_no_figures_draw_empty_bars_without_dividing_by_zero():
    chart = bar_chart(series=SERIES[:1], groups=[Group("None yet", [Bar(0, "0")])])
    assert chart["groups"][0]["bars"][0]["width"] == "0.0%"


def test_the_template_draws_with_attributes_only_and_names_its_table():
    chart = bar_chart(series=SERIES, groups=[Group("Jobs <local>", [Bar(2, "2"), Bar(1, "1")])])
    html = render_to_string("components/charts/bar_chart.html", {
        "id": "c", "title": "Jobs", "chart": chart, "caption": legend(SERIES)})
    assert 'role="img"' in html and 'aria-labelledby="c-title"' in html
    assert "The same figures are in the table after the chart." in html
    assert "style" not in html and "<script" not in html
    assert "Jobs &lt;local&gt;" in html and html.count("<rect") == 2
    assert "Blue bars: committed. Green bars: delivered." in html
