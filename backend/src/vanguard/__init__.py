"""Vanguard: the long-term mechanism to keep Party members advanced."""
