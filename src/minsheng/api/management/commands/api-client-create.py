from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.api.auth import api_client_create
from minsheng.api.models import Scope
from minsheng.core.actors import Actor
from minsheng.core.errors import ValidationError
from minsheng.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "Register an integrating system (a 12345 hotline, another region's system) and print its API key, "
        "once. Scopes: " + ", ".join(Scope.values) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the system's name, unique")
        parser.add_argument("--unit", type=int, required=True, help="id of the unit that registers its petitions")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="a scope to grant; repeat it or separate with commas",
        )
        parser.add_argument("--rate-limit", type=int, default=120, help="requests per minute (default 120)")

    def handle(self, *args: object, name: str, unit: int, scope: list[str], rate_limit: int, **options: object) -> None:
        receiving = Unit.objects.filter(pk=unit).first()
        if receiving is None:
            raise CommandError(_("没有编号为 %(id)d 的单位。") % {"id": unit})
        scopes = [s.strip() for item in scope for s in item.split(",") if s.strip()]
        try:
            client, secret = api_client_create(
                actor=Actor.system("api-client-create"),
                name=name,
                unit=receiving,
                scopes=scopes,
                rate_limit=rate_limit,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.stderr.write(f"{field}: {message}")
            raise CommandError(_("未创建对接系统。")) from None
        self.stdout.write(
            _(
                "已创建对接系统“%(name)s”（编号 %(id)d），由%(unit)s登记其信访事项；权限：%(scopes)s；每分钟最多 %(limit)d 次请求。"
            )
            % {
                "name": client.name,
                "id": client.pk,
                "unit": receiving.name,
                "scopes": ", ".join(client.scopes),
                "limit": client.rate_limit,
            }
        )
        self.stdout.write(_("接口密钥只显示这一次，请交给对接系统妥善保存（本系统只保存其摘要）："))
        self.stdout.write(secret)
