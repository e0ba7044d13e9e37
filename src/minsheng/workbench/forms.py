"""Forms of the staff workbench: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import StyledFormMixin
from minsheng.orgs.models import Region
from minsheng.petitions.models import Category, Channel, Nature
from minsheng.workflow.states import Status


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * (obj.level - 1) + obj.display_name


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * (obj.level - 1) + f"{obj.display_name} ({obj.code})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RegistrationForm(StyledFormMixin, forms.Form):
    # Checked by the registration service (one rule for every channel); marked here for people.
    marked_required = frozenset({"channel", "nature", "title", "request", "facts"})

    channel = forms.ChoiceField(label=_("信访形式"), choices=Channel.choices)
    nature = forms.ChoiceField(label=_("信访性质"), choices=Nature.choices, widget=forms.RadioSelect)
    received_at = forms.DateTimeField(
        label=_("收到时间"), required=False, widget=DateTimeInput(), help_text=_("留空则为当前时间。")
    )
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    request = forms.CharField(label=_("信访请求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    facts = forms.CharField(label=_("事实和理由"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    category = CategoryChoiceField(
        label=_("问题分类"), queryset=Category.objects.filter(is_active=True), required=False
    )
    region = RegionChoiceField(label=_("问题属地"), queryset=Region.objects.all(), required=False)
    address = forms.CharField(label=_("问题发生地"), max_length=200, required=False)
    persons_count = forms.IntegerField(label=_("人数"), min_value=1, initial=1)
    is_proxy = forms.BooleanField(label=_("代理信访（代他人提出）"), required=False)
    proxy_name = forms.CharField(label=_("代理人姓名"), max_length=60, required=False)
    proxy_relation = forms.CharField(label=_("与信访人关系"), max_length=60, required=False)
    proxy_phone = forms.CharField(label=_("代理人电话"), max_length=30, required=False)
    proxy_consent = forms.CharField(
        label=_("信访人同意代理的记录"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("如：信访人本人口头同意，2026年11月29日，见证人张三；或书面委托书已附。"),
    )
    attachments = MultipleFileField(label=_("附件"), required=False)


class PetitionerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=24, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    is_representative = forms.BooleanField(label=_("代表"), required=False)


PetitionerFormSet = forms.formset_factory(PetitionerForm, extra=0, min_num=1, max_num=50)


class PetitionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False)
    channel = forms.ChoiceField(label=_("信访形式"), choices=[("", _("全部形式")), *Channel.choices], required=False)
    nature = forms.ChoiceField(label=_("信访性质"), choices=[("", _("全部性质")), *Nature.choices], required=False)
    category = CategoryChoiceField(
        label=_("问题分类"), queryset=Category.objects.all(), required=False, empty_label=_("全部分类")
    )
    region = RegionChoiceField(
        label=_("问题属地"), queryset=Region.objects.all(), required=False, empty_label=_("全部属地")
    )
    received_from = forms.DateField(label=_("收到日期自"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("至"), required=False, widget=DateInput())
