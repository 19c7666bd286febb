"""Build step: the wheel carries the templates, the theme and the guides as package data.

They live at the top of the repository (``templates/``, ``overrides/``,
``site_docs/guide/``); a wheel gets a copy of each under ``generator/_bundled/``, where
:mod:`generator.resources` finds them. Editable installs read the repository's folders.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED_FOLDERS = ("templates", "overrides", "site_docs/guide")
"""Copied to ``generator/_bundled/<same path>``."""


class BuildWithBundledFiles(build_py):
    """``build_py`` that also copies the bundled folders into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        bundle = Path(self.build_lib) / "generator" / "_bundled"
        for source in BUNDLED_FOLDERS:
            target = bundle / source
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithBundledFiles})
