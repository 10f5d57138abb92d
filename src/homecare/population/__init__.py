"""Population projections and the 2040 demand outlook (将来推計人口・医療介護需要の見通し).

Modules, one job each: ``bands`` (20 five-year bands, sexes), ``schemas`` (the one population
table, unit x year x sex x band), ``ipss`` (the IPSS 令和5年推計 workbook of the prefecture),
``read`` (the entry point for a source: the workbook or the population CSV), ``apportion``
(designated-city rows of a CSV to wards), ``aggregate`` (population by area, checks), ``rates``
(the one per-capita convention: per 10万人 aged 75+), ``demand`` (demand indices), ``supply``
(facilities per 10万人 aged 75+), ``published`` (publication tables). Terms: docs/glossary.md.
"""
