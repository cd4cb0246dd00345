"""Staff API of disclosure requests: list, filter and act on requests (token or session, by department)."""

urlpatterns: list = []
