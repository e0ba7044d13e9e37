from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.portal.forms import AccessibleFormMixin, attachments_field, region_field


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.region.display_name} · {obj.display_name}"


def unit_field(**kwargs: Any) -> UnitField:
    return UnitField(queryset=Unit.objects.filter(is_active=True).select_related("region").order_by("path"), **kwargs)


class AccusationForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"title", "request", "facts", "region"})

    title = forms.CharField(
        label=_("检举事项概要"), max_length=200, required=False, help_text=_("一句话说明检举什么。")
    )
    request = forms.CharField(
        label=_("检举请求"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("如：请求依法调查处理。"),
    )
    facts = forms.CharField(
        label=_("事实和证据"),
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,
        help_text=_("时间、地点、经过、涉及的人和事，以及可以核实的证据或线索。"),
    )
    region = region_field()
    address = forms.CharField(label=_("发生地点（可选）"), max_length=200, required=False)
    accused_name = forms.CharField(label=_("被检举人姓名（可选）"), max_length=60, required=False)
    accused_position = forms.CharField(label=_("被检举人职务（可选）"), max_length=100, required=False)
    accused_unit_text = forms.CharField(label=_("被检举人所在单位或被检举单位（可选）"), max_length=200, required=False)
    accused_unit = unit_field(
        label=_("如能确定，请选择被检举单位（可选）"),
        required=False,
        empty_label=_("不确定"),
        help_text=_("被检举的单位及其下属单位不会收到、也看不到这件检举。"),
    )
    anonymous = forms.TypedChoiceField(
        label=_("是否留下身份"),
        choices=[("1", _("匿名检举：不留任何身份信息")), ("0", _("实名检举：留下姓名和联系方式，便于核实"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    reporter_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    reporter_phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    reporter_id_number = forms.CharField(label=_("身份证号码（可选）"), max_length=24, required=False)
    reporter_address = forms.CharField(label=_("住址（可选）"), max_length=200, required=False)
    reporter_contact = forms.CharField(label=_("其他联系方式（可选）"), max_length=200, required=False)
    attachments = attachments_field()
    truthful = forms.BooleanField(
        label=_("我承诺检举内容客观真实，不捏造、歪曲事实，不诬告、陷害他人（《信访工作条例》第十九条第二款）"),
        required=False,
    )


class ReceiptForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("检举回执码"),
        max_length=60,
        required=False,
        help_text=_("提交检举时得到的36位回执码，可以不输入短横线。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class MessageForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(label=_("留言"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False)


class AccusedUnitForm(AccessibleFormMixin, forms.Form):
    unit = unit_field(label=_("被检举单位"), empty_label=_("请选择"))


class AccessRequestForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("申请理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("说明为什么必须知道检举人身份，以及为什么无法通过留言与其联系。身份保管人据此决定。"),
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("grant", _("准许（7日内有效）")), ("refuse", _("拒绝"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
