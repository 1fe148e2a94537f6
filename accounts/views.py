from allauth.account.views import SignupView

from accounts.forms import CitizenSignupForm


class CitizenSignupView(SignupView):
    template_name = "accounts/citizen_signup.html"

    def get_form_class(self):
        return CitizenSignupForm


citizen_signup = CitizenSignupView.as_view()
