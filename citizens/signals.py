"""Signals other apps listen to; citizens knows nothing of what they do with them."""

from django.dispatch import Signal

# Sent inside the closing transaction, once the result is declared, for decisions that carry
# a caller's reference: ``decision_id`` and ``reference``. Receivers read the result with
# ``citizens.selectors.decisions.decision_result``.
decision_closed = Signal()
