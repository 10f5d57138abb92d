"""Facility data (施設データ): source adapters, address normalisation, offline geocoding, areas.

:mod:`read` reads each source layout into one tidy frame; :mod:`merge` gives stable ids and
links duplicates; :mod:`gazetteer` geocodes addresses against the mirrored town gazetteer
(町丁目代表点); :mod:`coords` checks source coordinates; :mod:`assign` puts every record in a
unit and area; :mod:`geocode` strings them together for stage 03 and ``homecare geocode``.
Terms: docs/glossary.md.
"""
