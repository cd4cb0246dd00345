"""Admin views of disclosure requests (admin_answers); menu items go in with the hook
`register_disclosure_requests_menu_item` (see wagtail_hooks.py)."""

from __future__ import annotations
