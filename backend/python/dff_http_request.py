"""The HTTP request a task hands its function as ``_DFF_HTTP_REQUEST`` (standard library only).

As DataFlux Func: its ``headers`` are found whatever the case of the name asked for
(``['X-Auth-Token']``, ``.get('x-auth-token')``, ``'X-AUTH-TOKEN' in``), and it always has a
``body`` (``{}`` for a request without one).
"""


def _lower(key):
    return key.lower() if isinstance(key, str) else key


class IgnoreCaseDict(dict):
    """A dict whose str keys are kept lower-cased and looked up whatever their case."""

    __slots__ = ()

    def __init__(self, items=(), **kwargs):
        # Built in bulk (one comprehension into dict.__init__), not a Python-level __setitem__ per
        # key: every API call's headers pass here. Later writes lower-case through __setitem__.
        if kwargs or not isinstance(items, dict):
            super().__init__()
            self.update(items, **kwargs)
        else:
            super().__init__({(k.lower() if k.__class__ is str else _lower(k)): v for k, v in items.items()})

    def __getitem__(self, key):
        return super().__getitem__(_lower(key))

    def __setitem__(self, key, value):
        super().__setitem__(_lower(key), value)

    def __delitem__(self, key):
        super().__delitem__(_lower(key))

    def __contains__(self, key):
        return super().__contains__(_lower(key))

    def get(self, key, default=None):
        return super().get(_lower(key), default)

    def pop(self, key, *default):
        return super().pop(_lower(key), *default)

    def setdefault(self, key, default=None):
        return super().setdefault(_lower(key), default)

    def update(self, items=(), **kwargs):
        if hasattr(items, 'keys'):
            items = [(k, items[k]) for k in items.keys()]
        for k, v in items:
            self[k] = v
        for k, v in kwargs.items():
            self[k] = v

    def copy(self):
        return type(self)(self)

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, super().__repr__())


def prepared(request):
    """``request`` (the task's ``httpRequest``, changed in place) as the function sees it."""
    headers = request.get('headers')
    if isinstance(headers, dict):
        request['headers'] = IgnoreCaseDict(headers)
    if 'body' not in request:
        request['body'] = {}
    return request
