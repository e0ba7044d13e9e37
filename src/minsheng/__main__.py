"""The `minsheng` console script: Django's management commands under the project's settings."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings")
    if sys.argv[1:2] == ["init-secrets"]:
        # Runs before Django: the settings refuse to load without the secrets this writes.
        from minsheng.config.secrets import init_secrets

        var_dir = Path(os.environ.get("MINSHENG_VAR", Path.cwd() / "var"))
        print(f"secrets: {init_secrets(var_dir)}")
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
