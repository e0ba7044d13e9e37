import contextlib
import logging
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from huey.contrib.djhuey import HUEY
from tqdm import tqdm

from minsheng.demo.generator import demo_exists, generate
from minsheng.demo.workflow import output_to_demo_log
from minsheng.intel.routing.services import routing_model_ensure


@contextlib.contextmanager
def messages_to_log() -> Iterator[None]:
    """Deliver what the demo's people are sent (SMS codes, answers) while seeding, into a fresh
    demo log: left to the worker, they would bury the banner and the logins."""
    was, huey_log = HUEY.immediate, logging.getLogger("huey")
    level = huey_log.level
    with output_to_demo_log(fresh=True):
        HUEY.immediate = True
        huey_log.setLevel(logging.WARNING)  # not a line per task run
        try:
            yield
        finally:
            HUEY.immediate = was
            huey_log.setLevel(level)


class Command(BaseCommand):
    help = "Load the demo province, its staff (one user per role) and generated petitions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has units")
        parser.add_argument("--petitions", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: object, if_empty: bool, petitions: int, seed: int, **options: object) -> None:
        if demo_exists():
            if if_empty:
                self.stdout.write("demo: the database already has data; nothing loaded")
                self._routing_model()
                return
            self.stderr.write("demo: the database already has units; use an empty database")
            raise SystemExit(1)
        with (
            messages_to_log(),
            tqdm(total=petitions, desc="demo petitions", unit="petition", disable=petitions < 50) as bar,
            transaction.atomic(),
        ):
            result = generate(petitions=petitions, seed=seed, progress=lambda _n: bar.update(1))
        states = ", ".join(f"{status} {n}" for status, n in result.replay.statuses.most_common())
        self.stdout.write(f"demo: {len(result.petitions)} petitions loaded ({states})")
        doors = result.doors
        if doors is not None:
            self.stdout.write(
                "demo: the citizens' doors (codes shown once, as the portal would):\n"
                f"  /follow/        query code {doors.query_code} + phone last four 8000 "
                f"({doors.query_number}: decided; rate it, ask for review)\n"
                f"  /accuse/follow/ receipt {doors.receipt_anonymous} (anonymous; a question waits for an answer)\n"
                f"  /accuse/follow/ receipt {doors.receipt_named} (named; the custodian has a request to decide)\n"
                "  /suggestions/   a call on lifts in old housing: suggestions, co-signs, an official answer"
            )
        if result.replay.skipped:
            refused = ", ".join(f"{k} {n}" for k, n in result.replay.refusals.most_common())
            self.stdout.write(f"demo: {result.replay.skipped} planned steps the procedure refused ({refused})")
        self._routing_model()

    def _routing_model(self) -> None:
        # Training takes minutes: the worker does it, so the server starts at once.
        row = routing_model_ensure()
        if row is not None:
            self.stdout.write(f"demo: routing model v{row.version} queued for training in the worker")
