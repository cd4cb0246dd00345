"""`manage.py api_token`: issue, list and revoke the read-only API tokens of outlets (`slt_…`) and the
personal staff tokens of users (`sls_…`: create-user, list-user; `revoke` takes either prefix)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import KEY_SCHEME, USER_KEY_SCHEME, ApiToken, UserToken
from cms.outlets.models import Outlet


def find_outlet(value: str) -> Outlet:
    """The outlet with this id or name; a CommandError naming the choices otherwise."""
    outlets = Outlet.objects.select_related("portal")
    found = list(outlets.filter(pk=int(value))) if value.isdigit() else []
    found = found or list(outlets.filter(name=value))
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(f"{o.pk} ({o.portal})" for o in found)
        raise CommandError(f"Several outlets are named {value!r}: give the id of one of {ids}.")
    known = ", ".join(f"{o.pk} {o.name}" for o in outlets.order_by("pk")) or "none"
    raise CommandError(f"No outlet {value!r}. Outlets: {known}.")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    """Issue (`create`), list and revoke outlet API tokens. The key is printed once, at creation."""

    help = "Manage the read-only API tokens of outlets: create (prints the key once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke,create-user,list-user}"
        )
        create = commands.add_parser("create", help="Issue a token for an outlet and print its key once.")
        create.add_argument("--outlet", required=True, help="The outlet's id or name.")
        create.add_argument("--name", required=True, help="A label: who or what uses the token.")
        create.add_argument("--expires-days", type=int, default=None, help="Expire after this many days.")
        listing = commands.add_parser("list", help="List tokens (prefix, outlet, name, created, last used, state).")
        listing.add_argument("--outlet", default=None, help="Only this outlet's tokens (id or name).")
        revoke = commands.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument(
            "prefix", help="The token's prefix, e.g. slt_1a2b3c4d or 1a2b3c4d (outlet), sls_1a2b3c4d (personal)."
        )
        create_user = commands.add_parser(
            "create-user", help="Issue a personal staff token acting as USERNAME and print its key once."
        )
        create_user.add_argument("username", help="The user the token acts as (with that user's permissions).")
        create_user.add_argument("--name", required=True, help="A label: what the token is for.")
        create_user.add_argument("--expires-days", type=int, default=None, help="Expire after this many days.")
        list_user = commands.add_parser("list-user", help="List personal staff tokens.")
        list_user.add_argument("--user", default=None, help="Only this user's tokens (username).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        """Run the sub-command."""
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _create(self, outlet: str, name: str, expires_days: int | None, **options: Any) -> None:
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        target = find_outlet(outlet)
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        token, key = ApiToken.issue(target, name, expires_at=expires_at)
        self.stdout.write(f"Token {token.display_prefix} for outlet {target.pk} {target.name} ({target.kind}).")
        if expires_at:
            self.stdout.write(f"Expires {_when(expires_at)}.")
        self.stdout.write("Key (shown only this once; store it now):")
        self.stdout.write(key)

    def _list(self, outlet: str | None = None, **options: Any) -> None:
        tokens = ApiToken.objects.select_related("outlet").order_by("created_at", "pk")
        if outlet:
            tokens = tokens.filter(outlet=find_outlet(outlet))
        rows = [("PREFIX", "OUTLET", "NAME", "CREATED", "LAST USED", "STATE")]
        rows += [
            (
                f"{KEY_SCHEME}_{t.prefix}",
                f"{t.outlet_id} {t.outlet.name}",
                t.name,
                _when(t.created_at),
                _when(t.last_used_at),
                t.state.value,
            )
            for t in tokens
        ]
        self._table(rows, "No API tokens.")

    def _table(self, rows: list[tuple[str, ...]], empty: str) -> None:
        """Print a header row and data rows in aligned columns, or `empty` when there is no data row."""
        if len(rows) == 1:
            self.stdout.write(empty)
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())

    def _revoke(self, prefix: str, **options: Any) -> None:
        if prefix.strip().startswith(f"{USER_KEY_SCHEME}_"):
            self._revoke_user(prefix)
            return
        bare = prefix.strip().rstrip("…").removeprefix(f"{KEY_SCHEME}_")
        matches = list(ApiToken.objects.filter(prefix=bare).select_related("outlet"))
        if not matches:
            raise CommandError(f"No API token with prefix {prefix!r} (see `manage.py api_token list`).")
        if len(matches) > 1:
            raise CommandError(f"Several tokens have prefix {prefix!r}; revoke them in the admin.")
        token = matches[0]
        if not token.revoke():
            self.stdout.write(f"Token {token.display_prefix} ({token.name}) was already revoked.")
            return
        self.stdout.write(f"Revoked token {token.display_prefix} ({token.name}) of outlet {token.outlet.name}.")

    def _create_user(self, username: str, name: str, expires_days: int | None, **options: Any) -> None:
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        token, key = UserToken.issue(user, name, expires_at=expires_at)
        self.stdout.write(f"Personal token {token.display_prefix} acting as {user.get_username()}.")
        if expires_at:
            self.stdout.write(f"Expires {_when(expires_at)}.")
        self.stdout.write("Key (shown only this once; store it now):")
        self.stdout.write(key)

    def _list_user(self, user: str | None = None, **options: Any) -> None:
        tokens = UserToken.objects.select_related("user").order_by("created_at", "pk")
        if user:
            tokens = tokens.filter(user__username=user)
        rows = [("PREFIX", "USER", "NAME", "CREATED", "LAST USED", "STATE")]
        rows += [
            (
                f"{USER_KEY_SCHEME}_{t.prefix}",
                t.user.get_username(),
                t.name,
                _when(t.created_at),
                _when(t.last_used_at),
                t.state.value,
            )
            for t in tokens
        ]
        self._table(rows, "No personal API tokens.")

    def _revoke_user(self, prefix: str) -> None:
        bare = prefix.strip().rstrip("…").removeprefix(f"{USER_KEY_SCHEME}_")
        matches = list(UserToken.objects.filter(prefix=bare).select_related("user"))
        if not matches:
            raise CommandError(f"No personal token with prefix {prefix!r} (see `manage.py api_token list-user`).")
        if len(matches) > 1:
            raise CommandError(f"Several personal tokens have prefix {prefix!r}.")
        token = matches[0]
        if not token.revoke():
            self.stdout.write(f"Token {token.display_prefix} ({token.name}) was already revoked.")
            return
        owner = token.user.get_username()
        self.stdout.write(f"Revoked personal token {token.display_prefix} ({token.name}) of {owner}.")
