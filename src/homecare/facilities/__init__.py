"""Facility data (施設データ): adapters, address normalisation, offline geocoding, areas.

Stages: :mod:`adapters` read each source layout into one tidy frame; :mod:`merge` gives
stable ids and links duplicates; :mod:`gazetteer` geocodes addresses against the mirrored
town gazetteer (町丁目代表点); :mod:`coords` checks source coordinates; :mod:`assign`
puts every record in a unit and area; :mod:`pipeline` strings them together for the
notebooks and the ``homecare geocode`` command.
"""
