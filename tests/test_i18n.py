"""Chinese first, English complete: every user-visible string has its English translation."""

import gettext
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import staff_login

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "minsheng"
# Top-level apps and apps nested in a package (intel/routing) each keep their own catalogue.
CATALOGUES = sorted(
    [*PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po"), *PACKAGE.glob("*/*/locale/en/LC_MESSAGES/django.po")]
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.relative_to(PACKAGE).parts[:-4]))
def test_every_string_has_an_english_translation(path: Path) -> None:
    untranslated = [
        e.msgid for e in polib.pofile(str(path)) if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert untranslated == [], "run scripts/i18n and translate these"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.relative_to(PACKAGE).parts[:-4]))
def test_the_compiled_catalogue_matches_its_source(path: Path) -> None:
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            assert compiled[(entry.msgid, 0)] == entry.msgstr_plural[0]
        else:
            assert compiled.get(entry.msgid) == entry.msgstr, "run scripts/i18n to recompile"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.relative_to(PACKAGE).parts[:-4]))
def test_the_catalogue_holds_every_string_of_its_app(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = path.parents[3]
    copy = tmp_path / app.name
    skip = shutil.ignore_patterns("locale", "tests", "migrations", "static", "__pycache__")

    def ignore(folder: str, names: list[str]) -> set[str]:
        # a nested app (its own apps.py) has its own catalogue
        nested = {n for n in names if Path(folder, n, "apps.py").exists() and Path(folder) == app}
        return set(skip(folder, names)) | nested

    shutil.copytree(app, copy, ignore=ignore)
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po")) if e.msgid}
    committed = {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}
    assert fresh - committed == set(), "new strings: run scripts/i18n and translate them"


@pytest.mark.django_db
def test_english_pages_show_no_chinese_interface_text(client: Client, org: Any) -> None:
    # Names of units and regions are data with an English column; give them one.
    for item in [*vars(org.units).values(), *vars(org.regions).values()]:
        item.name_en = "Named in English"
        item.save()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    pages = [client.get(reverse("login")).content.decode()]
    staff_login(client, org.registrar_a)
    for name in ("workbench:home", "workbench:petitions", "workbench:register"):
        pages.append(client.get(reverse(name)).content.decode())
    for html in pages:
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text).replace("简体中文", "")  # the switcher names Chinese in Chinese
        assert CJK.findall(text) == [], re.findall(r".{0,30}[\u4e00-\u9fff]+.{0,30}", text)[:5]


@pytest.mark.django_db
def test_the_language_follows_the_browser(client: Client, org: Any) -> None:
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    chinese = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "Staff sign-in" in english and "工作人员登录" in chinese
