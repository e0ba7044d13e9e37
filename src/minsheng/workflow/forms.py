"""Forms built from the transition table's field lists: they parse, the services decide.

The same form parses the case page's POST and the API's JSON body, so both doors read one
definition of each action's fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from minsheng.core.forms import StyledFormMixin
from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition
from minsheng.workflow.transitions import Field, Transition


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "\u3000" * depth + obj.display_name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def units_below(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk).order_by("path")


def _form_field(spec: Field, *, acting: Unit | None, petition: Petition) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    if spec.initial_from:
        common["initial"] = getattr(petition, spec.initial_from, "")
    match spec.type:
        case "text" | "petition":
            return forms.CharField(max_length=spec.max_length or 200, **common)
        case "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, **common)
        case "date":
            return forms.DateField(widget=DateInput(), **common)
        case "datetime":
            return forms.DateTimeField(
                widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "iso-8601"], **common
            )
        case "int":
            return forms.IntegerField(min_value=1, max_value=365, **common)
        case "bool":
            return forms.BooleanField(**{**common, "required": False})
        case "choice":
            return forms.ChoiceField(
                choices=[("", "---------"), *spec.choices] if not spec.required else spec.choices, **common
            )
        case "unit":
            qs = units_below(acting) if acting is not None else Unit.objects.none()
            return UnitChoiceField(queryset=qs, **common)
        case "units":
            qs = units_below(acting) if acting is not None else Unit.objects.none()
            return UnitsChoiceField(queryset=qs, widget=forms.SelectMultiple(attrs={"size": 6}), **common)
    raise ValueError(spec.type)


class ActionForm(StyledFormMixin, forms.Form):
    pass


def action_form(
    row: Transition, *, petition: Petition, acting: Unit | None, data: Any = None, prefix: str | None = None
) -> ActionForm:
    form = ActionForm(data=data, prefix=prefix)
    for spec in row.fields:
        form.fields[spec.name] = _form_field(spec, acting=acting, petition=petition)
    # StyledFormMixin styles the fields it finds at construction; these were added after it.
    _style(form)
    return form


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def cleaned_for_service(row: Transition, form: forms.Form) -> dict[str, Any]:
    """The cleaned values as the typed service takes them (empty optional values left out)."""
    data: dict[str, Any] = {}
    for spec in row.fields:
        value = form.cleaned_data.get(spec.name)
        if spec.type == "units":
            data[spec.name] = list(value or [])
        elif value in (None, "") and not spec.required:
            continue
        else:
            data[spec.name] = value
    return data
