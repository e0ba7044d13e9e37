from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.core.forms import StyledFormMixin
from minsheng.privacy.models import RevealLog


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("查看理由"), choices=[("", "—"), *RevealLog.Reason.choices])
    detail = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=200,
        help_text=_("选择“其他”时必填。本次查看的人员、时间和理由将被记录，督查专员可以查阅。"),
    )
