"""Sets request.user_organisations and request.current_organisation, lazily (no query until
used)."""

from django.utils.functional import SimpleLazyObject

SESSION_KEY = "current_organisation_id"


class CurrentOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from organisations.selectors import organisations_for_user

        def user_organisations():
            if not request.user.is_authenticated:
                return []
            return list(organisations_for_user(user=request.user))

        request.user_organisations = SimpleLazyObject(user_organisations)
        request.current_organisation = SimpleLazyObject(lambda: _current(request))
        return self.get_response(request)


def _current(request):
    organisations = request.user_organisations
    if not organisations:
        return None
    chosen = request.session.get(SESSION_KEY)
    for organisation in organisations:
        if organisation.pk == chosen:
            return organisation
    return organisations[0]
