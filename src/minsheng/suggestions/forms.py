from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.portal.forms import AccessibleFormMixin, region_field
from minsheng.suggestions.models import Adoption


class SuggestionForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"title", "grounds", "measures", "name", "phone"})

    title = forms.CharField(label=_("建议主题"), max_length=200, required=False, help_text=_("一句话概括您的建议。"))
    grounds = forms.CharField(
        label=_("主要事由"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("您观察到的情况、存在的问题和原因。"),
    )
    measures = forms.CharField(
        label=_("对策建议"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("具体怎么做：措施、步骤、可以借鉴的做法。"),
    )
    region = region_field()
    name = forms.CharField(label=_("姓名或组织名称"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("加密保存，只用于反馈办理情况，不会公开。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    org = forms.CharField(label=_("工作单位或所在组织（可选）"), max_length=120, required=False)
    allow_public = forms.BooleanField(
        label=_("同意公开这条建议，让其他人可以看到和附议"),
        required=False,
        help_text=_("经工作人员审核后公开。您的电话任何时候都不会公开。"),
    )
    show_name = forms.BooleanField(label=_("公开时显示我的姓名（不勾选则匿名显示）"), required=False)


class PhoneForm(AccessibleFormMixin, forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        help_text=_("用于确认每人只附议一次。我们只保存它无法还原的校验值。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class FollowForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        required=False,
        help_text=_("提交建议时显示的16位查询码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"title", "description", "opens_on", "closes_on"})

    title = forms.CharField(label=_("征集议题"), max_length=200, required=False)
    description = forms.CharField(
        label=_("议题说明"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("征集的背景、范围、希望听取哪些方面的建议（上海市人民建议征集若干规定第八条第三款）。"),
    )
    opens_on = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class AnswerForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"answer", "adoption"})

    answer = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("研究论证的结论，以及采纳或未采纳的理由（《信访工作条例》第二十九条第一款）。"),
    )
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=[("", _("请选择")), *Adoption.choices], required=False)
    reward_note = forms.CharField(
        label=_("奖励说明（可选）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("对国民经济和社会发展或改进工作有贡献的，按照有关规定给予奖励（第二十九条第二款）。"),
    )
