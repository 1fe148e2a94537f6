"""Pages that belong to the portal as a whole: home, dashboard, notifications, static pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.defaultfilters import pluralize
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import dashboard as dashboard_registry
from core import health, outage
from core.notifications import notification_mark_read, notifications_mark_all_read
from core.opportunities import open_opportunities
from core.selectors import notifications_for, unread_count

STATIC_PAGES = {"accessibility", "privacy", "cookies"}


@require_GET
def home(request):
    return render(request, "core/home.html", {"opportunities": open_opportunities(limit=20)})


@login_required
def dashboard(request):
    panels = dashboard_registry.panels_for(request)
    return render(request, "core/dashboard.html", {"panels": panels})


@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {
        "page_obj": page, "unread": unread_count(user=request.user)})


@login_required
@require_POST
def notification_read(request, pk: int):
    if not notification_mark_read(user=request.user, notification_id=pk):
        raise Http404("No such notification.")
    messages.success(request, "Notification marked as read.")
    return redirect("core:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{pluralize(count)} marked as read."
                     if count else "You had no unread notifications.")
    return redirect("core:notifications")


@require_GET
def static_page(request, page: str):
    return render(request, f"core/{page}.html")


@never_cache
@require_GET
def healthz(request):
    report = health.health_report()
    # Only a database outage is fatal; a cache or broker outage reports "degraded" with 200.
    return JsonResponse(report, status=health.http_status(report))


def bad_request(request, exception=None):
    # Rendered without the request, like the 500 page: what was refused may be the input itself.
    from core.middleware import bad_request_page

    return bad_request_page()


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or cache may be what failed.
    if outage.current_error_is_outage():
        return outage.outage_response(request)
    return HttpResponseServerError(loader.get_template("500.html").render())
