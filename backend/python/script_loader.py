"""Loading user scripts as modules, ``import set__script``, and user-only tracebacks.

* A published script lives in ``sys.modules[script_id]`` (so normal import semantics hold)
  and in ``ScriptRegistry.published`` with its md5.
* ``import demo__util`` goes through ``ScriptFinder`` (first on ``sys.meta_path``), which
  asks Node for the published code (host call getScript). ``import __util`` inside a
  script of set ``demo`` means ``demo__util`` (resolved by the user-module ``__import__``).
* A draft (debug run) main script is a module kept outside ``sys.modules``, cached by md5.
* Node tells us (``inv``) when an imported script changed; then every user module is
  dropped, since modules hold references to each other.
* Sources are registered in ``linecache`` under ``<script_id>`` so tracebacks show the
  user's lines; tracebacks are filtered to frames of user scripts.
"""

import builtins
import importlib.machinery
import importlib.util
import linecache
import re
import sys
import traceback
import types

import dff

SCRIPT_ID_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9_]*?__[A-Za-z0-9_]+\Z')
CODE_CACHE_SIZE = 256

_real_import = builtins.__import__


def user_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` of user scripts: ``import __x`` means ``<own set>__x``."""
    if level == 0 and name[:2] == '__' and name[-2:] != '__' and globals is not None and '.' not in name:
        owner = globals.get('__name__') or ''
        cut = owner.find('__')
        if cut > 0:
            name = owner[:cut] + name
    return _real_import(name, globals, locals, fromlist, level)


USER_BUILTINS = dict(builtins.__dict__)
USER_BUILTINS['__import__'] = user_import
USER_BUILTINS['print'] = dff.user_print
# DataFlux Func's scripts have print_var as a builtin: DFF.VAR's variable dump.
USER_BUILTINS['print_var'] = dff.dff_members.VAR


class ScriptNotFound(Exception):
    pass


class _Entry:
    __slots__ = ('md5', 'module', 'filename', 'source')

    def __init__(self, md5, module, filename, source):
        self.md5 = md5
        self.module = module
        self.filename = filename
        self.source = source


def filename_of(script_id):
    return '<' + script_id + '>'


def register_source(filename, source):
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


class ScriptRegistry:
    def __init__(self, channel):
        self.channel = channel
        self.published = {}  # script id -> _Entry (module also in sys.modules)
        self.drafts = {}  # script id -> _Entry (module not in sys.modules)
        self.code_cache = {}  # (script id, md5) -> (code object, source)
        self.changed = False  # published set changed since last report

    # -- sources -----------------------------------------------------------------------

    def fetch(self, script_id, draft):
        got = self.channel.call('getScript', '', [script_id, bool(draft)])
        if not got:
            return None
        return got

    def compiled(self, script_id, md5, source=None):
        key = (script_id, md5)
        hit = self.code_cache.get(key)
        if hit is not None:
            return hit
        if source is None:
            return None
        code = compile(source, filename_of(script_id), 'exec', dont_inherit=True)
        if len(self.code_cache) >= CODE_CACHE_SIZE:
            self.code_cache.pop(next(iter(self.code_cache)))
        hit = self.code_cache[key] = (code, source)
        return hit

    def is_user_file(self, filename):
        if filename[:1] != '<' or filename[-1:] != '>':
            return False
        return SCRIPT_ID_RE.match(filename[1:-1]) is not None

    # -- modules -----------------------------------------------------------------------

    def exec_into(self, module, script_id, code, source):
        """Run a script's code in ``module``; returns the DFF instance given to it."""
        register_source(filename_of(script_id), source)
        g = module.__dict__
        g['__builtins__'] = USER_BUILTINS
        api = g['DFF'] = dff.DFF(script_id)
        exec(code, g)
        return api

    def load_published(self, script_id, md5, code, source):
        spec = importlib.machinery.ModuleSpec(script_id, ScriptModuleLoader(self, script_id, md5, code, source),
                                              origin=filename_of(script_id))
        module = importlib.util.module_from_spec(spec)
        sys.modules[script_id] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            if sys.modules.get(script_id) is module:
                del sys.modules[script_id]
            raise
        return sys.modules.get(script_id, module)

    def _published_loaded(self, script_id, md5, source, module):
        self.published[script_id] = _Entry(md5, module, filename_of(script_id), source)
        self.changed = True

    def main_module(self, script_id, md5, draft):
        """The module of a task's main script, loading it when needed."""
        if draft:
            e = self.drafts.get(script_id)
            if e is not None and e.md5 == md5:
                return e.module
            self.drafts.pop(script_id, None)
            md5, hit = self._main_code(script_id, md5, True)
            module = types.ModuleType(script_id)
            self.exec_into(module, script_id, hit[0], hit[1])
            self.drafts[script_id] = _Entry(md5, module, filename_of(script_id), hit[1])
            return module

        e = self.published.get(script_id)
        if e is not None:
            if e.md5 == md5 and sys.modules.get(script_id) is e.module:
                return e.module
            self.drop_all()
        md5, hit = self._main_code(script_id, md5, False)
        return self.load_published(script_id, md5, hit[0], hit[1])

    def _main_code(self, script_id, md5, draft):
        """(md5, compiled code) of a main script: from the code cache, else fetched from the host."""
        hit = self.code_cache.get((script_id, md5))
        if hit is not None:
            return md5, hit
        got = self.fetch(script_id, draft)
        if got is None:
            raise ScriptNotFound(script_id)
        return got['md5'], self.compiled(script_id, got['md5'], got['code'])

    def drop_all(self):
        for script_id, e in self.published.items():
            if sys.modules.get(script_id) is e.module:
                del sys.modules[script_id]
        if self.published:
            self.changed = True
        self.published.clear()
        self.drafts.clear()

    def loaded_map(self):
        return {k: e.md5 for k, e in self.published.items()}

    def reregister_sources(self, main_entry_id=None, draft=False):
        """Put every known script's source back in linecache (the main one last)."""
        for e in self.published.values():
            register_source(e.filename, e.source)
        if main_entry_id is not None:
            e = (self.drafts if draft else self.published).get(main_entry_id)
            if e is not None:
                register_source(e.filename, e.source)


class ScriptModuleLoader:
    def __init__(self, registry, script_id, md5, code, source):
        self.registry = registry
        self.script_id = script_id
        self.md5 = md5
        self.code = code
        self.source = source

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        self.registry.exec_into(module, self.script_id, self.code, self.source)
        self.registry._published_loaded(self.script_id, self.md5, self.source, module)

    def get_source(self, name):
        return self.source


class ScriptFinder:
    """Meta-path finder for ``set__script`` names: asks Node for the published code."""

    def __init__(self, registry):
        self.registry = registry

    def find_spec(self, fullname, path=None, target=None):
        if path is not None or SCRIPT_ID_RE.match(fullname) is None or not dff.state.active:
            return None
        got = self.registry.fetch(fullname, False)
        if got is None:
            return None
        md5 = got['md5']
        code, source = self.registry.compiled(fullname, md5, got['code'])
        loader = ScriptModuleLoader(self.registry, fullname, md5, code, source)
        return importlib.machinery.ModuleSpec(fullname, loader, origin=filename_of(fullname))

    def invalidate_caches(self):
        pass


# -- tracebacks ------------------------------------------------------------------------


def _filter_te(te, is_user, seen):
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if is_user(f.filename)])
    _filter_te(te.__cause__, is_user, seen)
    _filter_te(te.__context__, is_user, seen)
    for sub in getattr(te, 'exceptions', None) or ():
        _filter_te(sub, is_user, seen)


def user_traceback(exc, is_user):
    """Traceback text with only the frames of user scripts."""
    try:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=True)
        _filter_te(te, is_user, set())
        return ''.join(te.format())
    except Exception:
        return ''.join(traceback.format_exception_only(type(exc), exc))


def line_in(exc, filename):
    """Line of ``filename`` in the innermost frame of ``exc`` that belongs to it."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == filename and exc.lineno:
        line = exc.lineno
    return line
