"""homecare: reproducible analysis of home medical care (在宅医療) and community care
(地域包括ケア) in Kanagawa Prefecture.

The package holds the logic, I/O and plotting style; the notebooks in ``notebooks/``
hold parameters, narrative and calls into this package.
Terms: docs/glossary.md.
"""

__version__ = "0.1.0"
