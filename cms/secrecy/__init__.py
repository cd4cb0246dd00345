"""Secrecy checks (保密审查): classification marks, sensitive terms and personal data in content."""
