import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"


def _untranslated(po_text: str) -> list[str]:
    """msgids whose translation (any plural form) is empty; the header entry is skipped."""
    missing = []
    for entry in po_text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0].split("msgid", 1)[-1]))
        for form in re.split(r"^msgstr(?:\[\d\])? ", entry, flags=re.M)[1:]:
            if not "".join(re.findall(r'"(.*)"', form)):
                missing.append(msgid)
    return missing


def test_german_catalogue_has_no_untranslated_or_fuzzy_entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert _untranslated(text) == []
    assert "#, fuzzy" not in text


def test_an_empty_translation_is_detected():
    assert _untranslated('msgid ""\nmsgstr "header"\n\nmsgid "Revenue"\nmsgstr ""\n') == ["Revenue"]


def test_compiled_german_catalogue_is_used():
    with translation.override("de"):
        assert translation.gettext("Revenue") == "Umsatz"
        assert translation.gettext("Participation") == "Beteiligung"
