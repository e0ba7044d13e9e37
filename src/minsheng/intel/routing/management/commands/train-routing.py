from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.core.actors import Actor
from minsheng.intel.routing.datasets import DataError
from minsheng.intel.routing.services import DEFAULT_CV_FOLDS, DEFAULT_CV_REPEATS, routing_model_train


class Command(BaseCommand):
    help = (
        "Train a new routing model version from labelled CSVs (default: the files in ../shared/data), "
        "cross-validate it, store it in the database and make it current."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", nargs="+", type=Path, help="CSV files (messages, titles, unlabelled messages)")
        parser.add_argument("--cv-folds", type=int, default=DEFAULT_CV_FOLDS)
        parser.add_argument(
            "--cv-repeats", type=int, default=DEFAULT_CV_REPEATS, help="repeats of the k-fold evaluation (0: none)"
        )

    def handle(self, *args: object, data: list[Path] | None, cv_folds: int, cv_repeats: int, **options: object) -> None:
        if cv_folds < 2 or cv_repeats < 0:
            raise CommandError(_("--cv-folds 至少为 2，--cv-repeats 不能为负数。"))
        try:
            row = routing_model_train(
                actor=Actor.system("train-routing"),
                files=data,
                cv_folds=cv_folds,
                cv_repeats=cv_repeats,
                progress=lambda message: self.stderr.write(message),
            )
        except DataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(_("未训练：输入数据有问题，未做任何修改。")) from None
        cv = row.metrics.get("cv")
        self.stdout.write(_("分流模型 v%(version)d 已训练并启用。") % {"version": row.version})
        if cv:
            self.stdout.write(
                f"cv_macro_f1={cv['macro_f1_mean']:.4f} ± {cv['macro_f1_sd']:.4f} "
                f"cv_accuracy={cv['accuracy_mean']:.4f} ({cv['repeats']}×{cv['folds']}-fold, "
                f"temperature={cv['temperature']})"
            )
