"""Site-side code: loading and validating policies/*.yaml, the data bundle, page generation.

Imports flow one way: macros -> calculator -> standard library.
"""
