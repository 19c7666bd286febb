"""The benchmarks' synthetic framework generator (benchmarks/synth.py), for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_synth",
                                                  REPO / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synth = _load_synth()
