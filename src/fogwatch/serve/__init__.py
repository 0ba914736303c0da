"""``fogwatch serve``: an HTTP API and a web workbench (map, timeline, evidence) over a fogwatch store.

>>> from fogwatch.serve import create_app
>>> app = create_app("fogwatch.db")            # an ASGI application; uvicorn serves it

Modules: ``app`` (routes, errors), ``read`` (what the API reads, on the store's query code), ``models``
(the OpenAPI shapes), ``guard`` (security headers, host check, size and time limits); ``static/`` holds
the page and its vendored, pinned browser assets (scripts/build_web_assets.py, NOTICE.md).
"""

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    from fogwatch.serve.app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
