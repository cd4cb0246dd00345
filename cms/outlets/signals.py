"""Outbox writers: publish, unpublish and withdrawal write delivery rows in the publishing transaction."""
