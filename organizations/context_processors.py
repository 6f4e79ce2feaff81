from django.utils.functional import SimpleLazyObject

from .selectors import current_bloc


def portal(request):
    """The bloc committee's configured names (lazy: only pages that show them pay the query)."""
    return {"bloc": SimpleLazyObject(current_bloc)}
