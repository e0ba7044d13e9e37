"""One typed service per action of the transition table (split by stage: triage, handling,
review); each validates its own fields and hands the generic executor (engine.execute) what the
step changes. `action_run` is the one entry for pages and the API: it calls the service named by
the table row."""

from minsheng.workflow.services.base import SERVICES, action, action_run, case_open
from minsheng.workflow.services.handling import (
    case_approve_extension,
    case_conclude,
    case_decide,
    case_deliver_decision,
    case_mediate,
    case_record_progress,
    case_reject_extension,
    case_reply,
    case_report_back,
    case_request_extension,
    case_withdraw,
)
from minsheng.workflow.services.history import case_import_reply
from minsheng.workflow.services.jobs import cases_conclude_lapsed
from minsheng.workflow.services.review import (
    case_conclude_hearing,
    case_decide_rereview,
    case_decide_review,
    case_deliver_review,
    case_request_rereview,
    case_request_review,
    case_schedule_hearing,
)
from minsheng.workflow.services.triage import (
    case_accept,
    case_assign,
    case_decline,
    case_forward,
    case_link_earlier,
    case_merge,
    case_object,
    case_report_urgent,
    case_unlink_earlier,
    case_unmerge,
)

__all__ = [
    "SERVICES",
    "action",
    "action_run",
    "case_accept",
    "case_approve_extension",
    "case_assign",
    "case_conclude",
    "case_conclude_hearing",
    "case_decide",
    "case_decide_rereview",
    "case_decide_review",
    "case_decline",
    "case_deliver_decision",
    "case_deliver_review",
    "case_forward",
    "case_import_reply",
    "case_link_earlier",
    "case_mediate",
    "case_merge",
    "case_object",
    "case_open",
    "case_record_progress",
    "case_reject_extension",
    "case_reply",
    "case_report_back",
    "case_report_urgent",
    "case_request_extension",
    "case_request_rereview",
    "case_request_review",
    "case_schedule_hearing",
    "case_unlink_earlier",
    "case_unmerge",
    "case_withdraw",
    "cases_conclude_lapsed",
]
