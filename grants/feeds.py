"""An Atom feed of the latest published grant rounds."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.money import format_gbp
from core.templatetags.govuk import govuk_date
from grants.selectors.rounds import public_rounds

FEED_SIZE = 50


class LatestRoundsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Grant rounds published on the portal."

    def title(self) -> str:
        return f"Grants – {settings.PORTAL_NAME}"

    def link(self) -> str:
        return reverse("grants:round_list")

    def items(self):
        return public_rounds().order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item) -> str:
        return f"{item.title} ({item.programme.authority.name})"

    def item_description(self, item) -> str:
        closes = govuk_date(item.closes_at, True) if item.closes_at else "not set"
        return (f"{item.summary}\n\nGrants from {format_gbp(item.min_amount)} to "
                f"{format_gbp(item.max_amount)}. Closes {closes}.")

    def item_link(self, item) -> str:
        return reverse("grants:round_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item) -> str:
        return item.programme.authority.name

    def item_guid(self, item) -> str:
        return f"grant-round-{item.pk}"

    item_guid_is_permalink = False
