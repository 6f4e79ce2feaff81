from django.utils.functional import SimpleLazyObject


def portal(request):
    """The bloc committee's configured names (lazy: only pages that show them pay the query)."""
    from organizations.selectors import current_bloc

    return {"bloc": SimpleLazyObject(current_bloc)}
