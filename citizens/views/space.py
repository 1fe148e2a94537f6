"""The panel's closed space: home, materials, threads and moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from citizens import presenters
from citizens.forms import MaterialForm, ModerationForm, PostForm, ThreadForm
from citizens.rules import can
from citizens.selectors import panels as selectors
from citizens.selectors import sessions as session_selectors
from citizens.services import panels as services
from citizens.views.common import paginate
from core.documents import DocumentUploadField, document_response
from core.forms.errors import attach_errors


@login_required
def space(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk)
    return render(request, "citizens/space/home.html", {
        "panel": panel, "phase": presenters.phase_tag(panel),
        "tasks": [t for t in selectors.my_tasks(user=request.user) if t.panel_id == panel.pk],
        "can_comment": can(request.user, "citizens.comment", panel),
        "can_manage": can(request.user, "citizens.manage_panel", panel),
        "can_facilitate": can(request.user, "citizens.facilitate", panel),
        **selectors.space_summary(panel=panel, user=request.user)})


class MaterialUploadForm(MaterialForm):
    document = DocumentUploadField(required=False, label="Document (optional)")


@login_required
def material_add(request, pk: int, session_pk: int | None = None):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.facilitate")
    meeting = session_selectors.session_get(panel=panel, pk=session_pk) if session_pk else None
    form = MaterialUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.material_add(actor=request.user, panel=panel, upload=data.pop("document"),
                                  session=meeting, **data)
        except ValidationError as error:
            attach_errors(form, error, default_field="title")
        else:
            messages.success(request, "The material is in the panel space.")
            return (redirect("citizens:session", pk=panel.pk, session_pk=meeting.pk) if meeting
                    else redirect("citizens:space", pk=panel.pk))
    return render(request, "citizens/space/material_form.html",
                  {"panel": panel, "form": form, "session": meeting})


@login_required
def thread_new(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.comment")
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(actor=request.user, panel=panel, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="body")
        else:
            return redirect("citizens:thread", pk=panel.pk, thread_pk=thread.pk)
    return render(request, "citizens/space/thread_form.html", {"panel": panel, "form": form})


@login_required
def thread(request, pk: int, thread_pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk)
    topic = selectors.thread_get_for_user(user=request.user, panel=panel, pk=thread_pk)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_add(actor=request.user, thread=topic, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error, default_field="body")
        else:
            messages.success(request, "Your reply is waiting for a facilitator to check it."
                             if post.status == post.Status.PENDING else "Your reply is posted.")
            return redirect("citizens:thread", pk=panel.pk, thread_pk=topic.pk)
    return render(request, "citizens/space/thread.html", {
        "panel": panel, "thread": topic, "form": form,
        "page_obj": paginate(request, selectors.thread_posts(thread=topic, user=request.user)),
        "can_comment": can(request.user, "citizens.comment", panel)})


@login_required
def moderation(request, pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.moderate")
    return render(request, "citizens/space/moderation.html", {
        "panel": panel, "page_obj": paginate(request, selectors.moderation_queue(panel=panel)),
        "form": ModerationForm()})


@login_required
@require_POST
def moderate(request, pk: int, post_pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk, perm="citizens.moderate")
    form = ModerationForm(request.POST)
    post = selectors.pending_post(panel=panel, pk=post_pk)
    if post is None or not form.is_valid():
        messages.error(request, "That post is no longer waiting for moderation.")
        return redirect("citizens:moderation", pk=panel.pk)
    try:
        services.post_moderate(actor=request.user, post=post, note=form.cleaned_data["note"],
                               publish=form.cleaned_data["action"] == "publish")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("citizens:moderation", pk=panel.pk)


@login_required
def material_download(request, pk: int, material_pk: int):
    panel = selectors.panel_get_for_user(user=request.user, pk=pk)
    material = selectors.material_get(panel=panel, pk=material_pk)
    return document_response(material.document)
