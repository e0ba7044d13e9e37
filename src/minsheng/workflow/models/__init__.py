"""Workflow data: deadline policies, the working-day calendar, and each petition's case file
(deadlines, extensions, decisions, hearings, notices)."""

from minsheng.workflow.models.calendar import CalendarDay, CalendarYear
from minsheng.workflow.models.case import Case, Closure, Deadline, DeadlineStatus, DeclineChannel
from minsheng.workflow.models.documents import Decision, DecisionKind, Extension, ExtensionStatus, Hearing, Outcome
from minsheng.workflow.models.notice import Notice, NoticeChannel, NoticeKind, NoticeStatus
from minsheng.workflow.models.policy import DeadlinePolicy, RegionPolicy, Rule, RuleSet

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Case",
    "Closure",
    "Deadline",
    "DeadlinePolicy",
    "DeadlineStatus",
    "Decision",
    "DecisionKind",
    "DeclineChannel",
    "Extension",
    "ExtensionStatus",
    "Hearing",
    "Notice",
    "NoticeChannel",
    "NoticeKind",
    "NoticeStatus",
    "Outcome",
    "RegionPolicy",
    "Rule",
    "RuleSet",
]
