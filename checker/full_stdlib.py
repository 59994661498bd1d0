"""The checker's slim standard library, backed by the full one.

The checker ships a standard-library zip holding only the modules that Pyodide's start-up and the calculator
import (macros/slim_stdlib.py traces them). Should anything ever import a module left out, this finder, last on
``sys.meta_path``, has the host fetch Pyodide's full ``python_stdlib.zip`` once (``fetch_full`` writes it to
``FULL``) and imports the module from it. Only names of the full library trigger it, so the many ``try: import
_winapi`` of the standard library cost nothing. Built into the slim zip as ``_full_stdlib`` with ``MODULES``
filled in.
"""

import sys
from importlib.machinery import PathFinder

FULL = "/lib/python_stdlib_full.zip"
MODULES = frozenset()  # every module of the full library, by dotted name (written by the build)
used = []  # the modules that needed the full library, in order


class FullStdlibFinder:
    fetch_full = None

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in MODULES:
            return None
        if not used:
            cls.fetch_full()  # synchronous: an import cannot wait
        used.append(name)
        parent = name.rpartition(".")[0]
        # A submodule of a package the slim zip has: look in the same package of the full zip.
        return PathFinder.find_spec(name, [FULL + ("/" + parent.replace(".", "/") if parent else "")])


def install(fetch_full):
    """``fetch_full()``: write the full library's zip to ``FULL``."""
    FullStdlibFinder.fetch_full = staticmethod(fetch_full)
    if FullStdlibFinder not in sys.meta_path:
        sys.meta_path.append(FullStdlibFinder)
