"""Temporary face during the move."""
from helpers.dates.grammar import *  # noqa: F401,F403
