"""The tender's way into designing social value (the design pages live in socialvalue)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from commissioning.selectors.tenders import tender_get_for_user
from commissioning.services.criteria import social_value_floor
from commissioning.services.tender_social_value import tender_social_value_plan_attach


@login_required
def tender_social_value(request, pk: int):
    tender = tender_get_for_user(user=request.user, pk=pk, perm="commissioning.manage_tender")
    if tender.social_value_plan_id:
        return redirect("socialvalue:plan_detail", pk=tender.social_value_plan_id)
    error = ""
    if request.method == "POST":
        try:
            plan = tender_social_value_plan_attach(actor=request.user, tender=tender)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("socialvalue:plan_edit", pk=plan.pk)
    return render(request, "commissioning/tenders/social_value.html",
                  {"tender": tender, "error": error,
                   "floor": social_value_floor(tender.authority)})
