from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from minsheng.core.actors import Actor
from minsheng.orgs.models import Unit
from minsheng.petitions.importers import (
    MAPPINGS,
    ImportFileError,
    ImportOptions,
    import_messages,
    mapping_from_pairs,
    read_table,
)
from minsheng.petitions.models import Channel, Nature


class Command(BaseCommand):
    help = (
        "Import messages from a CSV or Excel file as petitions. The file's shape is detected "
        "(the provincial portal's export is known); other files need --map target=column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=sorted(MAPPINGS), help="a known file shape (default: detect)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="generic mapping, e.g. --map title=Subject --map facts=Body --map received_at=Date",
        )
        parser.add_argument(
            "--source", default="", help="source name for a generic mapping (re-imports skip known ids)"
        )
        parser.add_argument("--unit", help="id or exact name of the receiving unit (default: the top petition bureau)")
        parser.add_argument("--channel", default=Channel.ONLINE, choices=Channel.values)
        parser.add_argument("--nature", default=Nature.GRIEVANCE, choices=Nature.values)
        parser.add_argument("--dry-run", action="store_true", help="check every row, import nothing")

    def _unit(self, spec: str | None) -> Unit:
        if spec:
            unit = (
                Unit.objects.filter(pk=int(spec)).first() if spec.isdigit() else Unit.objects.filter(name=spec).first()
            )
            if unit is None:
                raise CommandError(_("找不到单位“%(unit)s”。") % {"unit": spec})
            return unit
        roots = list(Unit.objects.filter(parent__isnull=True, kind=Unit.Kind.PETITION_BUREAU)[:2])
        if len(roots) != 1:
            raise CommandError(_("请用 --unit 指定接收单位。"))
        return roots[0]

    def handle(
        self,
        *args: object,
        file: Path,
        format: str | None,
        map: list[str],
        source: str,
        unit: str | None,
        channel: str,
        nature: str,
        dry_run: bool,
        **options: object,
    ) -> None:
        try:
            if map:
                mapping = mapping_from_pairs(map, source or file.stem)
            elif format:
                mapping = MAPPINGS[format]
            else:
                header, _rows, _count = read_table(file)
                known = [
                    m
                    for m in MAPPINGS.values()
                    if {"title", "facts"} <= set(m.columns)
                    and all(c in header for t, c in m.columns.items() if t not in m.optional)
                ]
                if not known:
                    raise ImportFileError(
                        _(
                            "无法识别文件格式（列：%(cols)s）。请用 --map 指定列映射，如 --map title=标题 --map facts=内容。"
                        )
                        % {"cols": "、".join(header)}
                    )
                mapping = known[0].present_in(header)
            opts = ImportOptions(
                unit=self._unit(unit), mapping=mapping, channel=channel, nature=nature, dry_run=dry_run
            )
            _header, _rows, total = read_table(file)
            with tqdm(total=total, desc=file.name, unit="row") as bar:
                report = import_messages(file, opts, actor=Actor.system("import-messages"), progress=bar.update)
        except ImportFileError as exc:
            raise CommandError(_("未导入任何数据：%(reason)s") % {"reason": exc}) from None
        for problem in report.problems:
            self.stderr.write(_("第%(row)d行：%(reason)s") % {"row": problem.row, "reason": problem.reason})
        for warning in report.warnings[:50]:
            self.stderr.write(_("第%(row)d行（提示）：%(reason)s") % {"row": warning.row, "reason": warning.reason})
        verb = _("可导入") if dry_run else _("已导入")
        self.stdout.write(
            _("%(verb)s %(n)d 条，跳过已导入 %(skipped)d 条，有问题 %(bad)d 条（共 %(total)d 条）。")
            % {
                "verb": verb,
                "n": report.imported,
                "skipped": report.skipped_existing,
                "bad": len(report.problems),
                "total": report.total,
            }
        )
        if report.problems and report.imported == 0:
            raise SystemExit(1)
