"""Run the web server and the background worker together, and say how to get in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from minsheng.demo.orgs import DEMO_LOGINS, DEMO_PASSWORD
from minsheng.orgs.models import User


def _wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.2)
    return False


class Command(BaseCommand):
    help = "Serve Minsheng (gunicorn) with its task worker (huey); stop both with Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: object, host: str, port: int, workers: int, **options: object) -> None:
        bin_dir = os.path.dirname(sys.executable)
        web = subprocess.Popen(  # noqa: S603 - our own executables, fixed arguments
            [
                os.path.join(bin_dir, "gunicorn"),
                "minsheng.config.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ]
        )
        worker = subprocess.Popen([os.path.join(bin_dir, "minsheng"), "run_huey", "--quiet"])  # noqa: S603
        children = [web, worker]

        def stop(*_args: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if _wait_for_port(host, port, 60):
            self._banner(host, port)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                child.wait(timeout=20)

    def _banner(self, host: str, port: int) -> None:
        url = f"http://{host}:{port}/"
        lines = [
            "",
            "=" * 72,
            f"  Minsheng 民声 is running:  {url}",
            f"  Staff workbench:           {url}workbench/",
            f"  Background worker:         huey ({settings.HUEY['huey_class']})",
        ]
        if User.objects.filter(username="registrar").exists():
            lines += ["", f"  Demo logins (password for all: {DEMO_PASSWORD}):"]
            lines += [f"    {username:<14} {zh} / {en}" for username, zh, en in DEMO_LOGINS]
        if settings.MINSHENG_SHOW_TOTP_CODE:
            lines += [
                "",
                "  Second factor: staff enrol an authenticator app at their first sign-in. In this",
                "  development run the current code is shown on the page, so no phone is needed",
                "  (MINSHENG_SHOW_TOTP_CODE; impossible with MINSHENG_ENV=production).",
            ]
        lines += ["", "  Stop with Ctrl-C.", "=" * 72, ""]
        self.stdout.write("\n".join(lines))
