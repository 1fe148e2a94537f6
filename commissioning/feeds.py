"""An Atom feed of the latest published tenders, for suppliers' feed readers."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from commissioning.selectors.tenders import public_tenders
from core.templatetags.govuk import gbp, govuk_date

FEED_SIZE = 50


class LatestTendersFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "The latest tenders published on the portal."

    def title(self) -> str:
        return f"Tenders – {settings.PORTAL_NAME}"

    def link(self) -> str:
        return reverse("commissioning:tender_list")

    def get_object(self, request, *args, **kwargs):
        """The list's filters from the address, so a feed can follow one search; filters
        that are not valid give an empty feed, never an error."""
        return request.GET

    def items(self, query):
        from commissioning.services.searches import search_filter, search_query

        tenders = public_tenders().filter(published_at__isnull=False)
        text = search_query(query)
        if not text:
            return tenders[:FEED_SIZE]
        tender_filter = search_filter(text, tenders)
        if not tender_filter.form.is_valid():
            return tenders.none()
        return tender_filter.qs.order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item) -> str:
        return f"{item.title} ({item.authority.name})"

    def item_description(self, item) -> str:
        return (f"{item.summary}\n\nValue: {gbp(item.estimated_value_inc_vat, False)} including "
                f"VAT. Deadline for bids: {govuk_date(item.deadline, True)}.")

    def item_link(self, item) -> str:
        return reverse("commissioning:tender_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item) -> str:
        return item.authority.name

    def item_guid(self, item) -> str:
        return item.ocid or str(item.pk)

    item_guid_is_permalink = False
