"""API routes of `disclosure_requests`, mounted under /api/disclosure_requests/.

Public: submit a request and look up its status (`public_api.py`). Staff: list, filter and act on requests
(`staff_api.py`).
"""

from . import public_api, staff_api

urlpatterns = [*public_api.urlpatterns, *staff_api.urlpatterns]
