from django.shortcuts import render


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Vietnamese page instead of Django's English one; the reason stays in the log."""
    return render(request, "403_csrf.html", status=403)
