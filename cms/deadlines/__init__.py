"""Working-day calendar and the one deadline engine used by every clock in the product."""
