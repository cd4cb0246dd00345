"""Plugin `disclosure_requests`: Requests for government information and the annual report (依申请公开)."""
