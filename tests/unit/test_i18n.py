"""The Spanish catalog: complete, current, compiled, shipped, and loadable.

When one of these fails after a code change, the fix is almost always:
run scripts/update-translations and translate the new strings.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from PySide6.QtCore import QLocale, QTranslator

from station_desktop.ui import i18n
from station_desktop.ui.settings import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "station_desktop" / "ui"
CATALOGS = ROOT / "resources" / "i18n"
ES = CATALOGS / "station_desktop_es.ts"
EN = CATALOGS / "station_desktop_en.ts"  # plural forms only
BIN = ROOT / ".venv" / "bin"
FIX = "run scripts/update-translations and translate the new strings"

Message = tuple[str, str, str]  # (context, source, disambiguation comment)


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the dev environment (pip install -e .[dev])")
    return found


def _messages(ts: Path) -> dict[Message, ET.Element]:
    found: dict[Message, ET.Element] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message
    return found


def _forms(message: ET.Element) -> list[str]:
    """The translated text(s): one, or one per plural form."""
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def _sources() -> list[str]:
    return sorted(str(p) for p in UI.rglob("*.py") if "__pycache__" not in p.parts)


def _show(key: Message) -> str:
    context, source, comment = key
    return f"  [{context}] {source!r}" + (f" ({comment})" if comment else "")


def test_the_catalogs_have_every_string_of_the_interface(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh_es.ts"
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-locations", "none",
                    *_sources(), "-ts", str(fresh)], check=True, capture_output=True)
    extracted = _messages(fresh)
    assert len(extracted) > 100  # lupdate really read the sources
    missing = sorted(set(extracted) - set(_messages(ES)))
    assert not missing, (f"{len(missing)} interface strings are not in {ES.name} ({FIX}):\n"
                         + "\n".join(_show(key) for key in missing[:40]))
    plural = {key for key, message in extracted.items() if message.get("numerus") == "yes"}
    missing_en = sorted(plural - set(_messages(EN)))
    assert not missing_en, (f"plural messages missing from {EN.name} ({FIX}):\n"
                            + "\n".join(_show(key) for key in missing_en))


@pytest.mark.parametrize("ts", [ES, EN], ids=["es", "en"])
def test_every_message_is_translated(ts: Path) -> None:
    problems = []
    for key, message in _messages(ts).items():
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete") or not all(
                form.strip() for form in _forms(message)):
            problems.append(f"{_show(key)}: {kind or 'empty'}")
    assert not problems, (f"{len(problems)} messages of {ts.name} need a translation ({FIX}):\n"
                          + "\n".join(problems[:40]))


@pytest.mark.parametrize("ts", [ES, EN], ids=["es", "en"])
def test_translations_keep_placeholders_and_accelerators(ts: Path) -> None:
    placeholder = re.compile(r"\{[a-z_]+[^}]*\}|%n")
    accelerator = re.compile(r"&(?![&\s])\w")
    problems = []
    for key, message in _messages(ts).items():
        source = key[1]
        for text in _forms(message):
            if not text.strip():
                continue  # untranslated: test_every_message_is_translated reports it
            if sorted(set(placeholder.findall(source))) != sorted(set(placeholder.findall(text))):
                problems.append(f"{_show(key)} -> {text!r}: placeholders differ")
            if bool(accelerator.search(source)) != bool(accelerator.search(text)):
                problems.append(f"{_show(key)} -> {text!r}: keyboard accelerator (&)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_shipped_catalog_is_compiled_from_the_ts(tmp_path: Path, lang: str) -> None:
    compiled = tmp_path / f"{lang}.qm"
    ts = CATALOGS / f"station_desktop_{lang}.ts"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(compiled)],
                   check=True, capture_output=True)
    shipped = i18n.catalog_dir() / f"station_desktop_{lang}.qm"
    assert shipped.is_file(), f"{shipped} is missing ({FIX})"
    assert shipped.read_bytes() == compiled.read_bytes(), f"{shipped} is stale ({FIX})"
    beside = CATALOGS / f"station_desktop_{lang}.qm"
    assert beside.read_bytes() == compiled.read_bytes(), f"{beside} is stale ({FIX})"


def test_spanish_loads_and_translates() -> None:
    translator = QTranslator()
    assert translator.load(QLocale("es_ES"), i18n.CATALOG, "_", str(i18n.catalog_dir()))
    assert translator.language() == "es"
    assert translator.translate("MainWindow", "&File") == "&Archivo"
    assert translator.translate("Pages", "Stations") == "Emisoras"
    assert translator.translate("ConnectionsDialog", "&Test connection") == "&Probar la conexión"
    assert translator.translate("Labels", "Rotation") == "Rotación"


def test_english_plurals_come_from_the_english_catalog() -> None:
    translator = QTranslator()
    assert translator.load(QLocale("en_GB"), i18n.CATALOG, "_", str(i18n.catalog_dir()))
    assert translator.language() == "en"
    assert translator.translate("MainWindow", "&File") == ""  # not in it: the source is used
    for (context, source, comment), message in _messages(EN).items():
        forms = _forms(message)
        assert translator.translate(context, source, comment or None, 1) == forms[0]
        assert translator.translate(context, source, comment or None, 7) == forms[1]


def test_every_language_choice_is_a_real_locale() -> None:
    assert LANGUAGES[0] == "system"
    for code in LANGUAGES[1:]:
        locale = i18n.locale_for(code)
        assert locale.name().startswith(code), (code, locale.name())
        assert code == "en" or code in i18n.SHIPPED


def test_no_string_hides_from_lupdate() -> None:
    """lupdate reads literal arguments only: ``tr(text)`` or ``translate(ctx, text)`` with a
    variable (a wrapper such as ``def _tr(t): return translate("Ctx", t)``) leaves every string
    passed through it untranslated, silently."""
    hidden = []
    for source in _sources():
        tree = ast.parse(Path(source).read_text(encoding="utf-8"), source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = (node.func.attr if isinstance(node.func, ast.Attribute)
                    else node.func.id if isinstance(node.func, ast.Name) else "")
            if name == "tr" and isinstance(node.func, ast.Name):
                # lupdate reads a bare tr("a", "b") as source "a" in no context, whatever
                # the name is bound to.
                hidden.append(f"  {Path(source).relative_to(ROOT)}:{node.lineno}: bare "
                              f"{ast.unparse(node)[:70]}")
                continue
            position = {"tr": 0, "translate": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                hidden.append(f"  {Path(source).relative_to(ROOT)}:{node.lineno}: "
                              f"{ast.unparse(node)[:80]}")
    assert not hidden, (
        "lupdate cannot see the text of these calls (a variable, or a bare tr()); call "
        "self.tr(\"...\") or QCoreApplication.translate(\"Context\", \"...\") at each use, "
        f"then {FIX}:\n" + "\n".join(hidden))
