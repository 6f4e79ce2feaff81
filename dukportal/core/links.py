"""`reverse(name, args=[pk])` for the rows of a list, without resolving the route again for each row.

The officer's list of 50 registrations links each row to its page: Django's `reverse()` walks the URL patterns
each time (about 27 µs a row, 1.4 ms a page; bench/load.py --profile, issue 13). `url_with_pk` reverses the
route once per process (per script prefix and URL configuration) with a marker id, and puts each row's id where
the marker is: the same address as `reverse()` for every non-negative integer id. Arguments after the id (a
route's constant parts, e.g. a download's format) are reversed with the route, once per value. `url` does the
same for a route without arguments (the navigation bar's and the header's links, ~25 µs each a page)."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 7_392_615_048_271  # an id no row has: where the id goes in the reversed address
_built: dict[tuple, tuple[str, ...]] = {}


def url_with_pk(viewname: str, pk, *rest: str, current_app: str | None = None) -> str:
    """As `reverse(viewname, args=[pk, *rest], current_app=current_app)` for a route whose first argument is the
    row's integer id."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, args=[pk, *rest], current_app=current_app)
    key = (viewname, rest, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, current_app)
    parts = _built.get(key)
    if parts is None:
        address, mark = reverse(viewname, args=[_MARK, *rest], current_app=current_app), str(_MARK)
        parts = _built[key] = tuple(address.split(mark)) if address.count(mark) == 1 else ()
    if not parts:
        return reverse(viewname, args=[pk, *rest], current_app=current_app)
    return f"{parts[0]}{pk}{parts[1]}"


def url(viewname: str, *, current_app: str | None = None) -> str:
    """As `reverse(viewname, current_app=current_app)` for a route without arguments, reversed once per process
    (per script prefix and URL configuration)."""
    key = (viewname, None, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, current_app)
    address = _built.get(key)
    if address is None:
        address = _built[key] = reverse(viewname, current_app=current_app)
    return address
