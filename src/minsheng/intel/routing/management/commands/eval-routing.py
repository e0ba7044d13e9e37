from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.intel.routing.datasets import DataError, read_csv
from minsheng.intel.routing.engine import evaluate
from minsheng.intel.routing.selectors import current_classifier
from minsheng.intel.routing.services import routing_model_train


class Command(BaseCommand):
    help = (
        "Evaluate the current routing model on a labelled CSV in the format of "
        "wenzheng_messages_labeled.csv; prints accuracy=… and macro_f1=…, then a per-class report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, type=Path)

    def handle(self, *args: object, data: Path, **options: object) -> None:
        try:
            dataset = read_csv(data, require_labels=True, messages_only=True)
        except DataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(_("未评估：输入数据有问题。")) from None
        loaded = current_classifier()
        if loaded is None:
            self.stderr.write(_("尚无分流模型：先用默认数据训练一个（需要几分钟）……"))
            try:
                routing_model_train(actor=Actor.system("eval-routing"), cv_repeats=0)
            except DataError as exc:
                for problem in exc.problems:
                    self.stderr.write(problem)
                raise CommandError(_("无法训练分流模型，未评估。")) from None
            loaded = current_classifier()
            assert loaded is not None
        model, classifier = loaded
        result = evaluate(classifier, dataset.samples)
        self.stdout.write(f"accuracy={result.accuracy:.4f}")
        self.stdout.write(f"macro_f1={result.macro_f1:.4f}")
        self.stdout.write(f"model=v{model.version} messages={len(dataset.samples)}")
        self.stdout.write(result.report)
