"""Profiles: a bureau's departments and column tree as a YAML file, validated and loaded idempotently."""

from .schema import ProfileSpec, ProfileValidationError, parse_profile, read_profile, resolve_profile_path

__all__ = ["ProfileSpec", "ProfileValidationError", "parse_profile", "read_profile", "resolve_profile_path"]
