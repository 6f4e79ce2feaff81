"""Sign-ins, sign-outs, failed attempts and lockouts in the audit log (dukportal.core.audit).

Password changes and resets are recorded by the views that perform them (organizations.auth_views)."""

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dukportal.core import audit


def client_ip(request) -> str:
    """The client address as axes resolves it (REMOTE_ADDR unless a proxy is configured in settings)."""
    if request is None or not hasattr(request, "META"):
        return ""
    return get_client_ip_address(request) or ""


def _account(username):
    if not username:
        return None
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()


def _record_for(username, *, action: str, changes: dict):
    account = _account(username)
    if account is None:
        return audit.record_event(actor=None, action=action, label=username or "", changes=changes)
    return audit.record(actor=None, action=action, target=account, changes=changes)


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def audit_login(sender, request, user, **kwargs):
    audit.record(actor=user, action="auth.login", target=user, changes={"ip": client_ip(request)})


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def audit_logout(sender, request, user, **kwargs):
    if getattr(user, "pk", None):
        audit.record(actor=user, action="auth.logout", target=user, changes={"ip": client_ip(request)})


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # credentials arrive with the password already masked by Django; only the name typed is kept.
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or (credentials or {}).get("username")
    _record_for(username, action="auth.login_failed", changes={"username": username or "", "ip": client_ip(request)})


@receiver(user_locked_out, dispatch_uid="audit_user_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    _record_for(username, action="auth.locked_out", changes={"username": username or "", "ip": ip_address or ""})
