import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.intel.topics.mining import Topic, mine
from minsheng.intel.topics.sources import SourceError, messages_from_file, messages_from_petitions
from minsheng.petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Hot topics: clusters of messages about the same concrete problem (a place + an issue), "
        "ranked by heat. Reads a portal export with --data, else the petitions in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, help="CSV/Excel in the portal's hot-message format")
        parser.add_argument("--top", type=int, default=10, help="how many topics (default 10)")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--days", type=int, default=0, help="database only: petitions of the last N days")

    def handle(
        self,
        *args: object,
        data: Path | None,
        top: int,
        format: str,
        days: int,
        **options: object,
    ) -> None:
        if top < 1:
            raise CommandError(_("--top 至少为 1。"))
        started = time.perf_counter()
        if data is not None:
            try:
                messages, problems = messages_from_file(data)
            except SourceError as exc:
                raise CommandError(str(exc)) from None
            for line in problems[:50]:
                self.stderr.write(line)
        else:
            messages = messages_from_petitions(Petition.objects.all(), days=days or None)
        topics = mine(messages, top=top)
        elapsed = time.perf_counter() - started
        if format == "json":
            payload = {
                "messages": len(messages),
                "seconds": round(elapsed, 2),
                "topics": [t.as_dict() for t in topics],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(n)d 条留言，%(t)d 个热点，用时 %(s).1f 秒。") % {"n": len(messages), "t": len(topics), "s": elapsed}
        )
        for topic in topics:
            self.stdout.write(self._line(topic))

    def _line(self, topic: Topic) -> str:
        places = "、".join(f"{name}({count})" for name, count in topic.places)
        lines = [
            _(
                "#%(rank)d 热度 %(heat).1f：%(size)d 条 / %(users)d 人，30日内最多 %(peak)d 条，赞踩 %(votes)d，%(first)s—%(last)s"
            )
            % {
                "rank": topic.rank,
                "heat": topic.heat,
                "size": topic.size,
                "users": topic.users,
                "peak": topic.peak_30d,
                "votes": topic.votes,
                "first": topic.first_at.date().isoformat(),
                "last": topic.last_at.date().isoformat(),
            },
            _("   地点：%(places)s") % {"places": places or "—"},
            _("   关键词：%(words)s") % {"words": "、".join(topic.keywords) or "—"},
            _("   月度：%(series)s") % {"series": " ".join(f"{k}:{v}" for k, v in topic.monthly if v)},
        ]
        lines += [f"   · {title}" for title in topic.titles]
        return "\n".join(lines)
