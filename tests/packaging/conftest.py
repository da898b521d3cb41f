"""Fixtures for the packaging tests: the helpers of ``packaging/`` (see packaging_support)."""

from __future__ import annotations

from types import ModuleType

import pytest
from packaging_support import load_packaging_module


@pytest.fixture(scope="session")
def bundle_files() -> ModuleType:
    return load_packaging_module("bundle_files")


@pytest.fixture(scope="session")
def smoke_bundle() -> ModuleType:
    return load_packaging_module("smoke_bundle")
