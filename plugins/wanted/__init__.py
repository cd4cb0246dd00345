"""Plugin `wanted`: Wanted notices with a lifecycle that protects the person's data (网上通缉)."""
