from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.petitions.categories import CategoryImportError, category_tree_import


class Command(BaseCommand):
    help = "Import or update the category tree from a CSV file (all-or-nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("无法读取文件 %(file)s：%(error)s") % {"file": file, "error": exc}) from None
        try:
            summary = category_tree_import(actor=Actor.system("import-categories"), text=text)
        except CategoryImportError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("分类未导入：文件有 %(n)d 处问题，未做任何修改。") % {"n": len(exc.problems)}
            ) from None
        self.stdout.write(
            _("分类导入完成：新增 %(c)d 个，更新 %(u)d 个。") % {"c": summary.created, "u": summary.updated}
        )
