"""Forms for acting on a finding: who takes it on, and a comment for its history."""

from __future__ import annotations

from django import forms

from compliance.actions import COMMENT_LIMIT, assignable_people
from compliance.presenters import person_name


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Who should deal with it?", queryset=None, required=False,
        empty_label="Nobody (unassign it)",
        help_text="They are told by email and see it on their notifications page.")

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = assignable_people(finding=finding)
        field.label_from_instance = person_name
        field.initial = finding.assigned_to_id


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Add a comment", max_length=COMMENT_LIMIT,
        help_text="What was done or is planned. Comments stay in the finding's history.",
        widget=forms.Textarea(attrs={"rows": 4}))
