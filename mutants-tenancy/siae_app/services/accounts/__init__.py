"""Accounts and memberships: sign-in, passwords, invitations, roles, deactivation.

One module per concern; the public functions are re-exported here (``accounts.invite_member``).
"""

from siae_app.services.accounts.approvals import (
    can_approve,
    waiting,
    waiting_for,
)
from siae_app.services.accounts.core import (
    active_memberships,
    authenticate,
    clean_roles,
    end_sessions,
    find_user_by_email,
    normalise_email,
    pending_invitations,
    read_reset_token,
    record_login,
    request_password_reset,
    reset_link,
    reset_password,
    set_password,
)
from siae_app.services.accounts.decisions import approve, refuse
from siae_app.services.accounts.invitations import (
    accept_signed_in,
    accept_with_password,
    can_show_link,
    invitation_link,
    invite_member,
    own_invitation,
    read_invitation,
    refuse_invitation,
    screen_link,
)
from siae_app.services.accounts.members import (
    PERSONAL_DATA_ROLES,
    deactivate_member,
    history,
    reactivate_member,
    record_event,
    update_roles,
)

__all__ = [
    "PERSONAL_DATA_ROLES",
    "accept_signed_in",
    "accept_with_password",
    "approve",
    "can_approve",
    "active_memberships",
    "authenticate",
    "can_show_link",
    "clean_roles",
    "deactivate_member",
    "end_sessions",
    "find_user_by_email",
    "history",
    "invitation_link",
    "invite_member",
    "normalise_email",
    "own_invitation",
    "pending_invitations",
    "reactivate_member",
    "read_invitation",
    "read_reset_token",
    "record_event",
    "record_login",
    "refuse",
    "refuse_invitation",
    "request_password_reset",
    "reset_link",
    "reset_password",
    "screen_link",
    "set_password",
    "update_roles",
    "waiting",
    "waiting_for",
]
