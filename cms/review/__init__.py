"""The review chain: workflow tasks, the secrecy gate on publishing, and the review ledger (审核审查台账)."""
