"""Public pages of `disclosure_requests` at /disclosure_requests/: the request form and the status lookup."""

urlpatterns: list = []
