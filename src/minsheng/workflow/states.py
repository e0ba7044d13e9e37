"""The states of a petition (R22 Ch. 3-4). The transitions between them live in transitions.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记待分流")
    FORWARDED = "forwarded", _("已转送待受理")
    ASSIGNED = "assigned", _("已交办待受理")
    ACCEPTED = "accepted", _("已受理办理中")
    DECIDED = "decided", _("已出具处理意见")
    REVIEW = "review", _("复查中")
    REVIEWED = "reviewed", _("已出具复查意见")
    REREVIEW = "rereview", _("复核中")
    HEARING = "hearing", _("听证中")
    CLOSED = "closed", _("已办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


# No further action on the same matter is possible from these (Art. 36 ¶3 for CLOSED).
TERMINAL = frozenset({Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED})
# "Accepted or in handling": a higher body does not accept the same matter (Art. 19 ¶3).
IN_HANDLING = frozenset({Status.ACCEPTED, Status.FORWARDED, Status.ASSIGNED})
