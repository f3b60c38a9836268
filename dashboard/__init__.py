"""Atlas of the former Soviet space: a Dash app mapping the 15 successor states, 1991 to today."""

__version__ = "0.1.0"
