"""The reports: what each shows, as columns and rows for a GOV.UK table and a CSV file.

A column's ``kind`` says how to show a value: as text, a count, pounds, a percentage, days or a
date. The web page formats for people (``£1,234.50``, ``12.5%``); the CSV keeps plain numbers
(``1234.50``, ``12.5``) so spreadsheets can sum them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.http import Http404

from citizens.selectors import reports as panel_data
from commissioning.selectors import reports as data
from core import charts
from core.calendar import local_date
from core.money import format_gbp
from mutuals.selectors import reports as mutual_data

PAGE_SIZE = 25
GROUP_LABELS = {"all": "All suppliers", "sme": "SMEs", "vcse": "VCSEs",
                "mutual": "Public service mutuals"}


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    kind: str = "text"  # text | count | money | percent | days | date

    @property
    def numeric(self) -> bool:
        return self.kind not in {"text", "date"}


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[dict]
    page: Page | None = None
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None


@dataclass(frozen=True)
class Chart:
    """A bar chart of some of the table's figures (core.charts), shown above the table."""

    title: str
    caption: str
    drawing: dict


def _chart(title: str, what: str, series: list[charts.Series], groups: list[charts.Group]
           ) -> Chart | None:
    if not groups:
        return None
    caption = f"{charts.legend(series)} {what} The table below has every figure."
    return Chart(title, caption, charts.bar_chart(groups=groups, series=series))


def _bars(row: dict, keys: list[str], kind: str, unit: str = "") -> list[charts.Bar]:
    return [charts.Bar(row.get(key), display(row.get(key), kind) + (
        unit if row.get(key) is not None else "")) for key in keys]


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    summary: str
    build: Callable[..., Table]


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def days(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _pipeline(*, scope, page=None, everything=False) -> Table:
    rows = data.pipeline_by_status(scope=scope)
    shown = [{"status": row["status_label"], "procedure": row["procedure_label"],
              "count": row["count"], "value": row["value"]} for row in rows]
    if shown:
        shown.append({"status": "Total", "procedure": "", "header": True,
                      "count": sum(row["count"] for row in rows),
                      "value": sum((row["value"] or 0 for row in rows), Decimal(0))})
    chart = _chart("Tenders by status and procedure", "Bars show the number of tenders.",
                   [charts.Series("tenders", charts.BLUE)],
                   [charts.Group(f"{row['status']}, {row['procedure']}",
                                 _bars(row, ["count"], "count"))
                    for row in shown if not row.get("header")])
    return Table(
        caption="Tenders by status and procedure", rows=shown, chart=chart,
        columns=[Column("Status", "status"), Column("Procedure", "procedure"),
                 Column("Tenders", "count", "count"),
                 Column("Estimated value excluding VAT", "value", "money")],
        notes=["Tenders are counted by the date they were created, drafts included."])


def _bids(*, scope, page=None, everything=False) -> Table:
    queryset = data.bids_per_tender(scope=scope)
    page_obj = None
    if everything:
        rows = list(queryset.iterator(chunk_size=2000))
    else:
        page_obj = Paginator(queryset, PAGE_SIZE).get_page(page)
        rows = list(page_obj.object_list)
    chart = None if everything else _chart(
        "Bids received per tender", "Bars show bids on the tenders of this page.",
        [charts.Series("all bids", charts.BLUE), charts.Series("from SMEs", charts.GREEN),
         charts.Series("from VCSEs", charts.PURPLE)],
        [charts.Group(f"{row['reference']} {row['title']}",
                      _bars(row, ["bid_count", "sme_bids", "vcse_bids"], "count"))
         for row in rows])
    return Table(
        caption="Bids received per tender", rows=rows, page=page_obj, chart=chart,
        columns=[Column("Reference", "reference"), Column("Tender", "title"),
                 Column("Authority", "authority__name"), Column("Deadline", "deadline", "date"),
                 Column("Bids", "bid_count", "count"), Column("From SMEs", "sme_bids", "count"),
                 Column("From VCSEs", "vcse_bids", "count")],
        notes=["Only tenders whose deadline has passed, by deadline date. Only submitted bids "
               "are counted; withdrawn and unfinished bids are not."])


def _shares(*, scope, page=None, everything=False) -> Table:
    rows = []
    for row in data.supplier_shares(scope=scope):
        bids, awards, value = row.get("bids", 0), row.get("awards", 0), row.get("award_value")
        for group, label in GROUP_LABELS.items():
            suffix = "" if group == "all" else f"_{group}"
            group_value = row.get(f"award_value{suffix}")
            rows.append({
                "authority": row["authority"], "group": label,
                "bids": row.get(f"bids{suffix}", 0), "bid_share": percent(
                    row.get(f"bids{suffix}", 0), bids),
                "awards": row.get(f"awards{suffix}", 0), "award_share": percent(
                    row.get(f"awards{suffix}", 0), awards),
                "value": group_value or Decimal(0), "value_share": percent(group_value, value),
            })
    chart = _chart(
        "Share of award value by type of supplier", "Bars show each group's share of the "
        "value of the authority's awards, in per cent.",
        [charts.Series("share of award value", charts.BLUE)],
        [charts.Group(f"{row['authority']}: {row['group']}",
                      _bars(row, ["value_share"], "percent"))
         for row in rows if row["group"] != GROUP_LABELS["all"]])
    return Table(
        caption="Bids and awards by type of supplier", rows=rows, chart=chart,
        columns=[Column("Authority", "authority"), Column("Supplier type", "group"),
                 Column("Bids", "bids", "count"), Column("Share of bids", "bid_share", "percent"),
                 Column("Awards", "awards", "count"),
                 Column("Share of awards", "award_share", "percent"),
                 Column("Value of awards", "value", "money"),
                 Column("Share of award value", "value_share", "percent")],
        notes=["Bids are counted by submission date once the tender's deadline has passed; "
               "awards by the date their award notice was published. A bid or award counts "
               "by its lead bidder. SMEs have fewer than 250 staff."])


def _time_to_award(*, scope, page=None, everything=False) -> Table:
    result = data.time_to_award(scope=scope)
    rows = [{"authority": row["authority"], "awards": row["awards"],
             "mean": days(row["mean_days"]), "median": days(row["median_days"])}
            for row in result["authorities"]]
    overall = result["overall"]
    if len(rows) > 1:
        rows.append({"authority": "All authorities", "header": True, "awards": overall["awards"],
                     "mean": days(overall["mean_days"]), "median": days(overall["median_days"])})
    chart = _chart("Days from tender publication to award notice", "Bars show days.",
                   [charts.Series("mean", charts.BLUE), charts.Series("median", charts.GREEN)],
                   [charts.Group(row["authority"], _bars(row, ["mean", "median"], "days", " days"))
                    for row in rows])
    return Table(
        caption="Days from tender publication to award notice", rows=rows, chart=chart,
        columns=[Column("Authority", "authority"), Column("Awards", "awards", "count"),
                 Column("Mean (days)", "mean", "days"),
                 Column("Median (days)", "median", "days")],
        notes=["Awards are counted by the date their award notice was published; cancelled "
               "awards are left out."])


def _mutuals(*, scope, page=None, everything=False) -> Table:
    rows = [{"sector": row["sector_label"], "region": row["region_label"],
             "count": row["count"]} for row in mutual_data.register_counts()]
    if rows:
        rows.append({"sector": "Total", "region": "", "header": True,
                     "count": sum(row["count"] for row in rows)})
    chart = _chart("Recognised mutuals by sector and region", "Bars show the number of mutuals.",
                   [charts.Series("mutuals", charts.BLUE)],
                   [charts.Group(f"{row['sector']}, {row['region']}",
                                 _bars(row, ["count"], "count"))
                    for row in rows if not row.get("header")])
    return Table(
        caption="Recognised public service mutuals by sector and region", rows=rows,
        chart=chart,
        columns=[Column("Sector", "sector"), Column("Region", "region"),
                 Column("Mutuals", "count", "count")],
        notes=["Organisations whose recognition, under any definition, is current today. "
               "This report does not depend on the dates or authority chosen."])


def _mutual_support(*, scope, page=None, everything=False) -> Table:
    rows = [{"scheme": row["name"], "authority": row["authority__name"],
             "started": row["started"], "applied": row["applied"],
             "supported": row["supported"], "launched": row["launched"]}
            for row in mutual_data.support_funnel(authority_ids=scope.authority_ids)]
    chart = _chart(
        "Support for mutuals: from application to launch", "Bars show applications.",
        [charts.Series("started", charts.BLUE), charts.Series("sent", charts.GREEN),
         charts.Series("supported", charts.PURPLE), charts.Series("launched", charts.ORANGE)],
        [charts.Group(row["scheme"], _bars(row, ["started", "applied", "supported", "launched"],
                                           "count")) for row in rows])
    return Table(
        caption="Support for mutuals: from application to launch", rows=rows, chart=chart,
        columns=[Column("Programme", "scheme"), Column("Run by", "authority"),
                 Column("Applications started", "started", "count"),
                 Column("Applications sent (passed the screen)", "applied", "count"),
                 Column("Supported", "supported", "count"),
                 Column("Launched", "launched", "count")],
        notes=["An application is sent only once every eligibility rule passes. Launched: the "
               "plan's launch milestone is signed off."])


def _mutual_milestones(*, scope, page=None, everything=False) -> Table:
    rows = [{"milestone": row["title"], "plans": row["plans"], "signed_off": row["signed_off"],
             "share": percent(row["signed_off"], row["plans"])}
            for row in mutual_data.milestone_progress(authority_ids=scope.authority_ids)]
    chart = _chart("Spin-out milestones achieved", "Bars show the share of plans that have had "
                   "the milestone signed off, in per cent.",
                   [charts.Series("signed off", charts.GREEN)],
                   [charts.Group(row["milestone"], _bars(row, ["share"], "percent"))
                    for row in rows])
    return Table(
        caption="Spin-out milestones achieved across support plans", rows=rows, chart=chart,
        columns=[Column("Milestone", "milestone"), Column("Plans", "plans", "count"),
                 Column("Signed off", "signed_off", "count"),
                 Column("Share signed off", "share", "percent")],
        notes=["Every support plan follows the same spin-out route; a milestone counts once a "
               "programme officer signs off its evidence."])


def _mutual_awards(*, scope, page=None, everything=False) -> Table:
    grants = {row["authority_id"]: row for row in mutual_data.grants_to_mutuals(
        authority_ids=scope.authority_ids, start=scope.start, end=scope.end)}
    rows = []
    for row in data.reserved_and_mutual_awards(scope=scope):
        grant = grants.pop(row["authority_id"], {})
        rows.append(_mutual_award_row(row["authority"], row, grant))
    rows += [_mutual_award_row(grant["authority"], {}, grant) for grant in grants.values()]
    chart = _chart("The mutuals' share of contract and grant value", "Bars show the share "
                   "won by mutuals, in per cent.",
                   [charts.Series("of contract value", charts.BLUE),
                    charts.Series("of grant value", charts.GREEN)],
                   [charts.Group(row["authority"], _bars(row, ["contract_share", "grant_share"],
                                                         "percent")) for row in rows])
    return Table(
        caption="Reserved contracts, and the mutuals' share of contracts and grants", rows=rows,
        chart=chart,
        columns=[Column("Authority", "authority"),
                 Column("Reserved contracts awarded", "reserved", "count"),
                 Column("Value of reserved contracts", "reserved_value", "money"),
                 Column("Contracts to mutuals", "mutual", "count"),
                 Column("Share of contract value", "contract_share", "percent"),
                 Column("Grants to mutuals", "mutual_grants", "count"),
                 Column("Share of grant value", "grant_share", "percent")],
        notes=["Contracts are counted by the date their award notice was published, grants by "
               "the date they were awarded. A mutual is an organisation recognised under any "
               "definition today."])


def _mutual_award_row(authority: str, contracts: dict, grants: dict) -> dict:
    return {"authority": authority, "reserved": contracts.get("reserved", 0),
            "reserved_value": contracts.get("reserved_value") or Decimal(0),
            "mutual": contracts.get("mutual", 0),
            "contract_share": percent(contracts.get("mutual_value"),
                                      contracts.get("award_value")),
            "mutual_grants": grants.get("mutual_grants", 0),
            "grant_share": percent(grants.get("mutual_grant_value"), grants.get("grant_value"))}


def _paged(rows: list[dict], page, everything: bool) -> tuple[list[dict], Page | None]:
    if everything:
        return rows, None
    page_obj = Paginator(rows, PAGE_SIZE).get_page(page)
    return list(page_obj.object_list), page_obj


def _panels(*, scope, page=None, everything=False) -> Table:
    rows = [{**row, "attendance": percent(row["present"], row["attendance_total"])}
            for row in panel_data.panels_participation(scope=scope)]
    rows, page_obj = _paged(rows, page, everything)
    chart = _chart("Attendance at panel sessions", "Bars show the share of members present, "
                   "in per cent.", [charts.Series("attendance", charts.BLUE)],
                   [charts.Group(row["panel"], _bars(row, ["attendance"], "percent"))
                    for row in rows])
    return Table(
        caption="Citizen panels and participation", rows=rows, page=page_obj, chart=chart,
        columns=[Column("Panel", "panel"), Column("Authority", "authority"),
                 Column("Phase", "phase"), Column("Seats", "seats", "count"),
                 Column("Members taking part", "members", "count"),
                 Column("Sessions held", "sessions", "count"),
                 Column("Attendance", "attendance", "percent"),
                 Column("Decisions made", "decisions", "count")],
        notes=["Panels by the date they were created. Attendance is the share of members "
               "present across the sessions whose attendance was recorded."])


def _representativeness(*, scope, page=None, everything=False) -> Table:
    rows = [{**row, "met": "Yes" if row["met"] else "No"}
            for row in panel_data.representativeness(scope=scope)]
    rows, page_obj = _paged(rows, page, everything)
    chart = _chart("Seats selected for each feature value", "Bars show the seats selected.",
                   [charts.Series("selected", charts.GREEN)],
                   [charts.Group(f"{row['panel']}: {row['feature']} {row['value']}",
                                 _bars(row, ["selected"], "count")) for row in rows])
    return Table(
        caption="Panel make-up: targets against achieved", rows=rows, page=page_obj,
        chart=chart,
        columns=[Column("Panel", "panel"), Column("Feature", "feature"),
                 Column("Value", "value"), Column("Target seats", "target"),
                 Column("In the pool", "pool", "count"),
                 Column("Selected", "selected", "count"), Column("Target met", "met")],
        notes=["From each panel's initial draw. Totals only: no person's answers are shown."])


def _panel_decisions(*, scope, page=None, everything=False) -> Table:
    rows = [{**row, "turnout": percent(row["voted"], row["eligible"])}
            for row in panel_data.decisions_and_responses(scope=scope)]
    rows, page_obj = _paged(rows, page, everything)
    chart = _chart("Turnout in panel decisions", "Bars show the share of eligible members "
                   "who voted, in per cent.", [charts.Series("turnout", charts.BLUE)],
                   [charts.Group(row["decision"], _bars(row, ["turnout"], "percent"))
                    for row in rows])
    return Table(
        caption="Panel decisions and the authority's responses", rows=rows, page=page_obj,
        chart=chart,
        columns=[Column("Decision", "decision"), Column("Panel", "panel"),
                 Column("Method", "method"), Column("Outcome", "outcome"),
                 Column("Turnout", "turnout", "percent"), Column("Response", "response"),
                 Column("Days to respond", "days", "days")],
        notes=["Decisions by the date voting closed. Responses are due within 20 working "
               "days."])


REPORTS = {report.slug: report for report in (
    Report("pipeline", "Pipeline", "Tenders by status and procedure, with their value.",
           _pipeline),
    Report("bids", "Bids per tender", "How many bids each closed tender received.", _bids),
    Report("suppliers", "SMEs, VCSEs and mutuals",
           "The share of bids and awards going to small businesses, the voluntary and "
           "community sector, and public service mutuals.", _shares),
    Report("time-to-award", "Time to award",
           "How long procurements take, from tender notice to award notice.", _time_to_award),
    Report("mutuals", "Public service mutuals",
           "Recognised mutuals by sector and region.", _mutuals),
    Report("mutual-support", "Support for mutuals",
           "Applications, support agreed and launches, per programme.", _mutual_support),
    Report("mutual-milestones", "Spin-out milestones",
           "How far the supported teams have come on the spin-out route.", _mutual_milestones),
    Report("mutual-awards", "Reserved contracts and mutuals' share",
           "Contracts reserved for mutuals, and the share of contracts and grants that "
           "mutuals won.", _mutual_awards),
    Report("panels", "Citizen panels and participation",
           "Each panel's seats, members, sessions, attendance and decisions.", _panels),
    Report("panel-representativeness", "Panel make-up",
           "How each panel's draw met its targets for the communities it should reflect.",
           _representativeness),
    Report("panel-decisions", "Panel decisions and responses",
           "What panels decided, how many voted, and how the authority responded.",
           _panel_decisions),
)}


def report_or_404(slug: str) -> Report:
    try:
        return REPORTS[slug]
    except KeyError:
        raise Http404("There is no report with that name.") from None


def display(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "money":
        return format_gbp(value)
    if kind == "percent":
        return f"{value}%"
    if kind == "date":
        day = local_date(value) if isinstance(value, datetime.datetime) else value
        return f"{day.day} {day:%B %Y}"
    if kind == "count":
        return f"{value:,}"
    return str(value)


def html_rows(table: Table) -> list[list[dict]]:
    """Rows for components/govuk/table.html: the first cell of a total row is a header."""
    return [[{"text": display(row.get(column.key), column.kind), "numeric": column.numeric,
              "header": index == 0 and row.get("header", False)}
             for index, column in enumerate(table.columns)] for row in table.rows]


def csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind == "date":
        return (local_date(value) if isinstance(value, datetime.datetime) else value).isoformat()
    text = str(value)
    # A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
    return f"'{text}" if kind == "text" and text[:1] in {"=", "+", "-", "@"} else text


def csv_rows(table: Table) -> Iterable[list[str]]:
    yield [column.label for column in table.columns]
    for row in table.rows:
        yield [csv_value(row.get(column.key), column.kind) for column in table.columns]
