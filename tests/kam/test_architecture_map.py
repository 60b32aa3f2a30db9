"""docs/architecture.md maps every business rule to the one function that holds it. A map that
names a function which no longer exists sends the next reader to write the rule again, so every
dotted name in it must resolve."""

import importlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

MAP = Path(settings.BASE_DIR) / "docs" / "architecture.md"
NAME = re.compile(r"\b((?:kam|accounts|stakeholders|planning)(?:\.\w+)+)")


def dotted_names(text: str) -> set[str]:
    """`module.attribute` names in backticks, e.g. `kam.visibility.may_change_account`."""
    names = set()
    prose = re.sub(r"```.*?```", "", text, flags=re.S)  # the pictures and examples, not the map
    for quoted in re.findall(r"`([^`]+)`", prose):
        for name in NAME.findall(quoted):
            names.add(name)
    return names


def resolves(name: str) -> bool:
    parts = name.split(".")
    if len(parts) == 2 and parts[1][:1].isupper() and parts[1] in _model_names(parts[0]):
        return True  # a model by its label, e.g. accounts.StaleGroup
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def _model_names(app_label: str) -> set[str]:
    try:
        return {model.__name__ for model in apps.get_app_config(app_label).get_models()}
    except LookupError:
        return set()


def test_every_name_in_the_architecture_map_exists():
    names = dotted_names(MAP.read_text(encoding="utf-8"))
    assert len(names) > 40  # the map is read, not skipped
    assert sorted(name for name in names if not resolves(name)) == []


def test_a_missing_name_is_noticed():
    assert not resolves("kam.visibility.no_such_rule")
    assert resolves("kam.visibility.may_change_account")
