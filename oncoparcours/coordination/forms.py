from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import User
from oncoparcours.core.forms import DsfrFormMixin


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class TaskForm(DsfrFormMixin, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    assignee = AssigneeChoiceField(
        label=_("Attribuée à"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Toute l'équipe"),
    )
    due_date = forms.DateField(
        label=_("Échéance"),
        required=False,
        help_text=_("Format : jj/mm/aaaa"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, AssigneeChoiceField)
        field.queryset = assignees
