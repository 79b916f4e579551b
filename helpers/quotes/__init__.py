"""Temporary face during the move."""
from helpers.quotes.extraction import *  # noqa: F401,F403
from helpers.quotes.extraction import _names_several  # noqa: F401
