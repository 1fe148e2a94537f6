"""Bid services: preparation (drafts), submission and receipts, platform incidents."""

from commissioning.services.bids.clock import DeadlinePassed, server_now
from commissioning.services.bids.drafts import (
    BID_FILE_POLICY,
    SaveResult,
    bid_answer_save,
    bid_consortium_member_add,
    bid_consortium_member_remove,
    bid_declarations_save,
    bid_file_add,
    bid_file_remove,
    bid_price_save,
    bid_social_value_save,
    bid_start,
)
from commissioning.services.bids.incidents import tender_incident_record
from commissioning.services.bids.submission import (
    BidIncomplete,
    bid_receipt_email,
    bid_submit,
    bid_withdraw,
)

__all__ = [
    "BID_FILE_POLICY", "BidIncomplete", "DeadlinePassed", "SaveResult", "bid_answer_save",
    "bid_consortium_member_add", "bid_consortium_member_remove", "bid_declarations_save",
    "bid_file_add", "bid_file_remove", "bid_price_save", "bid_receipt_email",
    "bid_social_value_save", "bid_start", "bid_submit", "bid_withdraw", "server_now",
    "tender_incident_record",
]
