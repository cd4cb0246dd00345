"""Plugin `mailbox`: Letters to the bureau leader and the other letter boxes (局长信箱)."""
