"""Public API of disclosure requests: submission and status lookup (no personal data in any response)."""

urlpatterns: list = []
