"""Shared by the packaging tests: the modules of ``packaging/``, loaded by path, and the
rule for a missing external tool.

``packaging/`` is not a package (``import packaging`` is the PyPI library pytest itself
uses), so its helpers are loaded from their files.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_packaging_module(name: str) -> ModuleType:
    """``packaging/<name>.py`` as a module (cached in sys.modules under ``name``)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def require_tool(tool: str, install_hint: str) -> NoReturn:
    """Skip without ``tool``, or fail when STATION_TEST_REQUIRE_STACK=1 (scripts/test, CI)."""
    message = f"{tool} is not installed: {install_hint}"
    if os.environ.get("STATION_TEST_REQUIRE_STACK") == "1":
        pytest.fail(message)
    pytest.skip(message)
