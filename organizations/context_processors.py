from django.utils.functional import SimpleLazyObject

from .bloc_cache import current_header


def portal(request):
    """The bloc committee's configured names (lazy: only pages that show them read them; organizations.bloc_cache
    keeps them per process, never stale)."""
    return {"bloc": SimpleLazyObject(current_header)}
