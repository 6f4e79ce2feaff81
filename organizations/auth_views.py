"""Sign-in pages with the portal's rules: a Vietnamese lockout page (django-axes), audited password changes and
resets, and password reset requests limited per address and per client."""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render

from dukportal.core import audit

from .auth_audit import client_ip

LOCKOUT_MESSAGE = (
    "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau %(minutes)s phút hoặc liên hệ Ban Tuyên giáo."
)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKOUT_MESSAGE % {"minutes": minutes}


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, with the lockout message instead of the form's errors. The
    form is unbound: binding it would try the credentials once more."""
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        audit.record(actor=user, action="auth.password_change", target=user, changes={"ip": client_ip(self.request)})
        return response


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def reset_limited(*, email: str, ip: str) -> str:
    """Count one reset request for the address and the client; the name of the limit it goes over, or ""."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = _count(f"pwreset:address:{digest}", window)
    by_client = _count(f"pwreset:ip:{ip}", window)
    if by_address > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        return "address"
    if by_client > settings.PASSWORD_RESET_LIMIT_PER_IP:
        return "ip"
    return ""


class PasswordResetView(auth_views.PasswordResetView):
    """Over a limit, nothing is sent but the page says the same as always, so it tells nobody whether the
    address has an account."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ip = client_ip(self.request)
        limited = reset_limited(email=email, ip=ip)
        accounts = list(form.get_users(email))
        changes = {"email": email, "ip": ip, "limited": limited}
        response = HttpResponseRedirect(self.get_success_url()) if limited else super().form_valid(form)
        action = "auth.password_reset_limited" if limited else "auth.password_reset_request"
        for account in accounts:
            audit.record(actor=None, action=action, target=account, changes=changes)
        if not accounts:
            audit.record_event(actor=None, action=action, label=email, changes=changes)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # The link proves the request came from the account's mailbox: the account is the actor.
        audit.record(actor=user, action="auth.password_reset", target=user, changes={"ip": client_ip(self.request)})
        return response
