"""What the audit log listens to: sign-ins, lockouts, and changes to who may do what.

Refused sign-ins are counted per account and address (audit/refusals.py), not chained.

Editorial transitions are written by desk/workflow.py itself, in the transition's
own transaction; the events here exist only as signals (Django's and django-axes').
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from audit.addresses import client_address
from audit.chain import record
from audit.models import Entry
from audit.refusals import count_refusal, mark_locked

User = get_user_model()
FLAGS = ("is_superuser", "is_staff", "is_active")


# --- Signing in and out ------------------------------------------------------------------


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs) -> None:
    record(Entry.Action.LOGIN, actor=user, obj=user, request=request)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(Entry.Action.LOGOUT, actor=user, obj=user, request=request)


@receiver(user_login_failed)
def login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    # A count per account and address, not a chain entry per try (audit/refusals.py).
    username = str(credentials.get(User.USERNAME_FIELD, credentials.get("username", "")))
    address = client_address(request) if request is not None else None
    count_refusal(username[:150], address)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    # django-axes signals every refused try of a locked pair: the chain gets the first.
    if mark_locked((username or "")[:150], ip_address):
        details = {"username": (username or "")[:150], "address": ip_address}
        record(Entry.Action.LOCKOUT, details=details, request=request)


# --- Superuser, staff and active flags ----------------------------------------------------


@receiver(pre_save, sender=User)
def remember_flags(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw:
        instance._audit_loading = True  # rows loaded from a fixture or a test snapshot
        return
    if instance._state.adding:
        return
    if update_fields is not None and not set(FLAGS) & set(update_fields):
        return  # e.g. the last-login time written at every sign-in
    instance._audit_flags = User.objects.filter(pk=instance.pk).values(*FLAGS).first()


@receiver(post_save, sender=User)
def record_flags(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if created:
        flags = {flag: getattr(instance, flag) for flag in FLAGS}
        record(Entry.Action.USER_CREATED, obj=instance, details=flags)
        return
    before = instance.__dict__.pop("_audit_flags", None) or {}
    changed = {
        flag: [before[flag], getattr(instance, flag)]
        for flag in FLAGS
        if flag in before and before[flag] != getattr(instance, flag)
    }
    if changed:
        record(Entry.Action.USER_FLAGS, obj=instance, details=changed)


# --- Roles and permissions ----------------------------------------------------------------


def _names(model, pks) -> list[str]:
    """Readable names of the rows: group names, app.codename permissions, usernames."""
    rows = model.objects.filter(pk__in=pks)
    if model is Permission:
        rows = rows.select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    if model is Group:
        return sorted(group.name for group in rows)
    return sorted(user.get_username() for user in rows)


# through model: (the action, the model that owns the field, the model it points to)
WATCHED = {
    User.groups.through: (Entry.Action.USER_GROUPS, User, Group),
    User.user_permissions.through: (Entry.Action.USER_PERMISSIONS, User, Permission),
    Group.permissions.through: (Entry.Action.GROUP_PERMISSIONS, Group, Permission),
}


def _pending_clear(instance) -> dict:
    return instance.__dict__.setdefault("_audit_cleared", {})


@receiver(pre_save, sender=Group)
def notice_loading(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        instance._audit_loading = True


@receiver(m2m_changed)
def record_access_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if sender not in WATCHED or getattr(instance, "_audit_loading", False):
        return  # loading saved data (loaddata, test snapshots) is nobody's change
    kind, owner_model, target_model = WATCHED[sender]
    if action == "pre_clear":
        # Which rows a clear() removes is known only before it runs.
        mine, other = owner_model._meta.model_name, target_model._meta.model_name
        if reverse:
            mine, other = other, mine
        rows = sender.objects.filter(**{mine: instance}).values_list(f"{other}_id", flat=True)
        _pending_clear(instance)[sender] = set(rows)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = instance.__dict__.get("_audit_cleared", {}).pop(sender, set())
    if not pk_set:
        return
    change = "added" if action == "post_add" else "removed"
    if not reverse:
        record(kind, obj=instance, details={change: _names(target_model, pk_set)})
        return
    # Changed from the other side (group.user_set.add(user)): one entry per owner row.
    for owner in owner_model.objects.filter(pk__in=pk_set):
        record(kind, obj=owner, details={change: _names(target_model, [instance.pk])})
