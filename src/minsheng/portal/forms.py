"""Forms of the citizens' portal: they parse input; the services decide what is valid.

Fields that the service requires are marked (`marked_required`) rather than enforced here, so one
rule, with its article, speaks for every door.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import StyledFormMixin
from minsheng.petitions.models import Category
from minsheng.portal.routing import intake_regions
from minsheng.portal.services import MAX_ATTACHMENTS


class AccessibleFormMixin(StyledFormMixin):
    """Tie help texts and error messages to their inputs (aria-describedby) for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, MultipleFileField):
                field.help_text = attachments_help()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"  # type: ignore[index]

    def full_clean(self) -> None:
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                error_id = f"{self[name].auto_id}_error"  # type: ignore[index]
                attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {error_id}".strip()


def mark_invalid(form: forms.Form) -> None:
    """After a service's errors were added to a form: mark those inputs as the form's own are."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                error_id = f"{form[name].auto_id}_error"
                attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {error_id}".strip()


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * (obj.level - 1) + obj.display_name


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * (obj.level - 1) + obj.display_name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def region_field(**kwargs: Any) -> RegionField:
    return RegionField(
        label=_("问题所在地区"),
        queryset=intake_regions(),
        required=False,
        empty_label=_("请选择"),
        help_text=_("由该地区的信访部门登记，并转送有权处理的机关。"),
        **kwargs,
    )


def attachments_help() -> str:
    """The limits as this deployment sets them (settings.ATTACHMENT_MAX_BYTES), in the visitor's language."""
    return gettext(
        "最多 %(n)d 个文件，每个不超过 %(mb)d MB：PDF、图片、Word、Excel、音频或纯文本。图片中的位置等隐藏信息会被自动清除。"
    ) % {"n": MAX_ATTACHMENTS, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}


def attachments_field() -> MultipleFileField:
    # The help text is written per request by AccessibleFormMixin (attachments_help).
    return MultipleFileField(label=_("证明材料（可选）"), required=False, help_text=" ")


class PetitionForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"title", "request", "facts", "region", "name", "home_address", "phone"})

    guidance = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("用一句话概括您反映的问题。"))
    request = forms.CharField(
        label=_("您的请求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("希望有关机关解决什么问题。"),
    )
    facts = forms.CharField(
        label=_("事实和理由"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("发生了什么、何时何地、涉及谁，以及您的理由。"),
    )
    region = region_field()
    address = forms.CharField(label=_("问题发生地（详细地址，可选）"), max_length=200, required=False)
    category = CategoryField(
        label=_("问题类别（可选）"),
        queryset=Category.objects.filter(is_active=True, level__lte=2),
        required=False,
        empty_label=_("不确定"),
    )
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    id_number = forms.CharField(
        label=_("身份证号码（可选）"),
        max_length=24,
        required=False,
        help_text=_("加密保存，仅办理人员可见部分号码。"),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("用于联系您，并在查询进度时核对后四位。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    home_address = forms.CharField(
        label=_("住址"),
        max_length=200,
        required=False,
        help_text=_("《信访工作条例》第十九条：应当载明姓名、住址。书面告知将寄往此地址。"),
    )
    is_collective = forms.BooleanField(label=_("多人共同反映此事"), required=False)
    persons_count = forms.IntegerField(label=_("共同反映的人数"), min_value=1, max_value=100000, required=False)
    is_proxy = forms.BooleanField(label=_("我代他人提出（信访代理）"), required=False)
    proxy_name = forms.CharField(label=_("代理人（您）的姓名"), max_length=60, required=False)
    proxy_relation = forms.CharField(
        label=_("您与信访人的关系"),
        max_length=60,
        required=False,
        help_text=_("如：子女、村（居）委会工作人员、律师。"),
    )
    proxy_phone = forms.CharField(
        label=_("代理人（您）的手机号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consent_method = forms.ChoiceField(
        label=_("信访人如何表示同意"),
        required=False,
        choices=[
            ("", _("请选择")),
            ("written", _("书面委托（委托书作为附件上传）")),
            ("oral_witness", _("口头同意，有见证人")),
            ("oral", _("口头同意")),
        ],
    )
    consent_detail = forms.CharField(
        label=_("同意的时间、地点和见证人"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：2026年3月2日在信访人家中口头同意，见证人为村委会主任李四。"),
    )
    consent_confirm = forms.BooleanField(label=_("我确认已取得信访人本人同意，由我代为提出并跟进此事"), required=False)
    attachments = attachments_field()
    truthful = forms.BooleanField(
        label=_("我承诺所反映的情况客观真实，并对所提供材料的真实性负责（《信访工作条例》第十九条第二款）"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_collective"].widget.attrs["aria-controls"] = "ms-collective"
        self.fields["is_proxy"].widget.attrs["aria-controls"] = "ms-proxy"


class RepresentativeForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("代表姓名"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("代表电话"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


# The filer is the first representative; at most four more (R22 Art. 20: no more than five).
RepresentativeFormSet = forms.formset_factory(RepresentativeForm, extra=4, max_num=4, absolute_max=20)


class FollowForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"code"})

    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        required=False,
        help_text=_("提交时页面上显示的16位查询码，如 7KQ2-M9XD-4TRW-8HBN。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    phone_last4 = forms.CharField(
        label=_("手机号后四位"),
        max_length=4,
        required=False,
        help_text=_("提交时留有电话的，请填写该电话的后四位。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


SCORES = [
    (5, _("5分 · 非常满意")),
    (4, _("4分 · 满意")),
    (3, _("3分 · 一般")),
    (2, _("2分 · 不满意")),
    (1, _("1分 · 很不满意")),
]


class RatingForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"score"})

    decision = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("您对这份答复的评价"),
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择1到5分的评分。")},
    )
    comment = forms.CharField(
        label=_("评价意见（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestForm(AccessibleFormMixin, forms.Form):
    marked_required = frozenset({"grounds"})

    action = forms.CharField(widget=forms.HiddenInput)
    grounds = forms.CharField(
        label=_("请求和理由"),
        required=False,
        max_length=5000,
        help_text=_("请写明您不服哪一点、理由是什么，以及希望如何处理。"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
