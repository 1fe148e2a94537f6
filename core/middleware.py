"""Input the portal cannot use gets a page that says so: never a server error, never a blank page.

- A NUL character in the address (path or query) is refused with 400 before any view runs:
  no address of the portal contains one, and PostgreSQL cannot store it.
- A `DataError` from the database (a number too large for its column, a NUL byte in text a
  form did not check) means the request carried a value the portal cannot store: 400, logged.
  So does a value the ORM cannot convert for a lookup ("Field 'id' expected a number but got
  'x'"), as the Django admin raises for a forged `_selected_action`.
- Django answers a wrong method (GET on a POST-only action) with an empty 405; people get a
  page that explains it instead.
"""

import logging

from django.db import DataError
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger("portal.bad_input")


def bad_request_page() -> HttpResponseBadRequest:
    """The 400 page, rendered without the request: the database may be what refused."""
    return HttpResponseBadRequest(loader.get_template("400.html").render())


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
                "\x00" in key or any("\x00" in v for v in values)
                for key, values in request.GET.lists()):
            logger.info("Refused an address with a NUL character: %r", request.path)
            return bad_request_page()
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) or _is_lookup_conversion(exception):
            logger.warning("Refused a value the database cannot use on %s: %s",
                           request.path, exception)
            return bad_request_page()
        return None


def _is_lookup_conversion(exception: Exception) -> bool:
    """A ValueError/TypeError raised where a model field converts a value for the database."""
    if not isinstance(exception, ValueError | TypeError):
        return False
    frame = exception.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    if frame is None:
        return False
    code = frame.tb_frame.f_code
    return (code.co_name in CONVERSIONS
            and code.co_filename.replace("\\", "/").endswith(FIELDS_MODULE))


FIELDS_MODULE = "django/db/models/fields/__init__.py"
CONVERSIONS = {"get_prep_value", "to_python", "get_db_prep_value"}
